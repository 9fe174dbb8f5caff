namespace Serverless.IntegrationTests;

/// <summary>
/// The relay agent's native build takes minutes of CPU before its tests can start, so they get a command channel of
/// their own and run beside the other command channel tests instead of holding them up.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<CommandChannelFixture>, ICollectionFixture<PublishedRelayAgent>
{
    public const string Name = "packaging";
}
