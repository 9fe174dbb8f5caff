namespace Serverless.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class LocalSystemCollection : ICollectionFixture<LocalSystemFixture>
{
    public const string Name = "local system";
}
