using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Tests;

/// <summary>The OpenAPI document: every HTTP function described, and a document OpenAPI.NET reads without errors.</summary>
public sealed class OpenApiDocumentTests
{
    private static readonly System.Reflection.Assembly Functions = typeof(OpenApiFunction).Assembly;

    [Fact]
    public void EveryHttpFunction_IsDescribed()
    {
        var undescribed = OpenApiDocumentBuilder.HttpFunctions(Functions).Where(f => f.Operation is null).Select(f => f.Name);

        Assert.Empty(undescribed);
    }

    [Fact]
    public void Document_ListsEveryRouteAndMethod_WithItsSchemas()
    {
        var document = OpenApiDocumentBuilder.Build(Functions, "1.0.0");

        foreach (var (name, method, route, operation) in OpenApiDocumentBuilder.HttpFunctions(Functions))
        {
            var described = document["paths"]?[OpenApiDocumentBuilder.PathOf(route)]?[method];
            Assert.True(described is not null, $"{name}: {method} /api/{route} is missing");
            Assert.Equal(name, described["operationId"]!.GetValue<string>());
            if (operation!.Request is { } request)
            {
                Assert.NotNull(document["components"]!["schemas"]![request.Name]);
            }
        }

        var register = document["components"]!["schemas"]!["RegisterResourceRequest"]!;
        Assert.Equal(["snmpAppliance", "virtualizationHost"],
            Enum(register["properties"]!["kind"]!).Order(StringComparer.Ordinal));
        Assert.NotNull(document["paths"]!["/api/v1/resources/{resourceId}"]!["delete"]!["responses"]!["409"]);
    }

    [Fact]
    public void Document_ReadsWithoutErrorsInOpenApiDotNet()
    {
        var json = OpenApiDocumentBuilder.Build(Functions, "1.0.0").ToJsonString();

        var result = OpenApiDocument.Parse(json, "json");

        Assert.Empty(result.Diagnostic?.Errors.Select(e => $"{e.Pointer}: {e.Message}") ?? []);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic!.SpecificationVersion);
        Assert.True(result.Document!.Paths.Count >= 20);
    }

    private static IEnumerable<string> Enum(JsonNode schema) =>
        (schema["enum"] ?? schema["anyOf"]?.AsArray().Select(s => s?["enum"]).FirstOrDefault(e => e is not null))!
            .AsArray().Where(v => v is not null).Select(v => v!.GetValue<string>());
}
