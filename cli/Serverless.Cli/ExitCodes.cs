namespace Serverless.Cli;

/// <summary>The CLI's exit codes, as <c>hybrid --help</c> lists them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>What was waited on ended failed, canceled, or not as asked (a stack rolled back, a resource rejected).</summary>
    public const int OperationFailed = 1;

    /// <summary>The command line or the configuration is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The API refused the request (4xx): not found, invalid, conflict, unauthorized.</summary>
    public const int Refused = 3;

    /// <summary>The API could not be reached, answered 5xx, or a watch timed out.</summary>
    public const int Unavailable = 4;
}
