using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Serverless.Functions.OpenApi;

/// <summary><c>GET /api/v1/openapi.json</c>: the API's OpenAPI 3.1 document, built once from the functions themselves.</summary>
public sealed class OpenApiFunction
{
    private static readonly Lazy<string> Document = new(() =>
        OpenApiDocumentBuilder.Build(typeof(OpenApiFunction).Assembly, typeof(OpenApiFunction).Assembly.GetName().Version?.ToString() ?? "1.0.0")
            .ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

    [Function(FunctionNames.GetOpenApiDocument)]
    [ApiOperation("The OpenAPI document of this API.", Caller = ApiCaller.Anyone)]
    public IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/openapi.json")] HttpRequest request) =>
        TypedResults.Text(Document.Value, "application/json");
}
