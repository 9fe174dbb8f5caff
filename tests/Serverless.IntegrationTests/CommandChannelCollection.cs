namespace Serverless.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class CommandChannelCollection : ICollectionFixture<CommandChannelFixture>
{
    public const string Name = "command channel";
}
