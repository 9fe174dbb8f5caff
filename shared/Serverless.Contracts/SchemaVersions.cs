namespace Serverless.Contracts;

/// <summary>Schema versions stamped on every message so both sides can refuse what they do not understand.</summary>
public static class SchemaVersions
{
    /// <summary>The version of the messages this build writes.</summary>
    public const int Current = 1;
}
