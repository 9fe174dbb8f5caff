namespace Serverless.IntegrationTests;

/// <summary>
/// The crash matrices kill and restart their host dozens of times and mostly wait on restarts, so they get a command
/// channel of their own and run beside the other command channel tests instead of after them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CrashCollection : ICollectionFixture<CrashFixture>
{
    public const string Name = "crashes";
}

/// <summary>A second, separate command channel (own Azurite, Service Bus emulator and host) for <see cref="CrashCollection"/>.</summary>
public sealed class CrashFixture : CommandChannelFixture;
