using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Zones;
using Serverless.Functions.Http;

namespace Serverless.Functions.LocalHost.Tests;

/// <summary>
/// Every HTTP request and response body has source-generated JSON metadata: a body type missing from the API's JSON
/// context would otherwise surface only as a 500 when the route is first called.
/// </summary>
public sealed class ApiJsonTests
{
    public static TheoryData<string> BodyTypes()
    {
        var requests = typeof(CreateZoneRequest).Assembly.GetExportedTypes()
            .Where(t => t.Name.EndsWith("Request", StringComparison.Ordinal) && t != typeof(CommandRequest));
        var responses = typeof(AppServiceCollectionExtensions).Assembly.GetExportedTypes()
            .Where(t => t.Name.EndsWith("Response", StringComparison.Ordinal));
        return [.. requests.Concat(responses).Select(t => t.FullName!).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(BodyTypes))]
    public void BodyType_HasSourceGeneratedMetadata(string typeName)
    {
        var type = typeof(CreateZoneRequest).Assembly.GetType(typeName) ?? typeof(AppServiceCollectionExtensions).Assembly.GetType(typeName)!;

        Assert.NotNull(ApiJson.Options.TypeInfoResolverChain[0].GetTypeInfo(type, ApiJson.Options));
    }

    [Fact]
    public void BodyTypes_AreFound() => Assert.True(BodyTypes().Count >= 15);
}
