using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Microsoft.Azure.Functions.Worker;
using Serverless.Functions.Http;

namespace Serverless.Functions.OpenApi;

/// <summary>
/// Builds the OpenAPI 3.1 document from the HTTP functions themselves: routes and methods from their triggers, the rest
/// from <see cref="ApiOperationAttribute"/>, body schemas from the API's own JSON contract (so the document cannot
/// disagree with what the serializer reads and writes).
/// </summary>
public static class OpenApiDocumentBuilder
{
    private const string ProblemSchema = "ProblemDetails";

    /// <summary>The HTTP functions of <paramref name="assembly"/>: function name, method, route, and its description (null when missing).</summary>
    public static IEnumerable<(string Name, string Method, string Route, ApiOperationAttribute? Operation)> HttpFunctions(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
        let function = method.GetCustomAttribute<FunctionAttribute>()
        where function is not null
        from parameter in method.GetParameters()
        let trigger = parameter.GetCustomAttribute<HttpTriggerAttribute>()
        where trigger is not null
        from verb in trigger.Methods ?? []
        select (function.Name, verb.ToLowerInvariant(), trigger.Route ?? function.Name, method.GetCustomAttribute<ApiOperationAttribute>());

    /// <summary>The document's path of a function route: a catch-all segment (<c>{*path}</c>) is a plain path parameter there.</summary>
    public static string PathOf(string route) => "/api/" + route.Replace("{*", "{", StringComparison.Ordinal);

    public static JsonObject Build(Assembly assembly, string version)
    {
        var schemas = new JsonObject { [ProblemSchema] = Problem() };
        var paths = new JsonObject();
        foreach (var (name, method, route, operation) in HttpFunctions(assembly).OrderBy(f => f.Route, StringComparer.Ordinal))
        {
            if (operation is null)
            {
                throw new InvalidOperationException($"HTTP function {name} has no [ApiOperation]; describe it for the OpenAPI document.");
            }

            var path = PathOf(route);
            var item = paths[path] as JsonObject ?? new JsonObject();
            paths[path] = item;
            item[method] = Operation(name, route, operation, schemas);
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Hybrid control plane",
                ["version"] = version,
                ["description"] = "Manage premise and cloud resources through one API. Conventions: docs/api.md.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    ["functionKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key" },
                    ["tenantCredential"] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["description"] = "A tenant API key (tk1.…) or an Entra ID access token, as the deployment's Tenancy:Mode says.",
                    },
                    ["masterKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key", ["description"] = "The host's master key." },
                    ["agentCredential"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["description"] = "A relay agent's credential (sa1.…)." },
                },
            },
        };
    }

    private static JsonObject Operation(string name, string route, ApiOperationAttribute operation, JsonObject schemas)
    {
        var parameters = new JsonArray();
        foreach (var segment in route.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')))
        {
            parameters.Add(new JsonObject { ["name"] = segment[1..^1].TrimStart('*'), ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        foreach (var query in operation.Query)
        {
            var parts = query.Split(':', 3);
            parameters.Add(new JsonObject { ["name"] = parts[0], ["in"] = "query", ["description"] = parts[2], ["schema"] = new JsonObject { ["type"] = parts[1] } });
        }

        var responses = new JsonObject { [operation.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Success(operation, schemas) };
        var problems = operation.Problems.Append(500).Append(503);
        if (operation.Caller is not ApiCaller.Anyone)
        {
            problems = problems.Append(401);
        }

        if (operation.Request is not null)
        {
            problems = problems.Append(400).Append(413).Append(415);
        }

        foreach (var status in problems.Distinct().Order())
        {
            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["description"] = Describe(status),
                ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = Ref(ProblemSchema) } },
            };
        }

        var result = new JsonObject
        {
            ["operationId"] = name,
            ["summary"] = operation.Summary,
            ["tags"] = new JsonArray(route.Split('/')[1]),
            ["security"] = Security(operation.Caller),
            ["responses"] = responses,
        };
        if (parameters.Count > 0)
        {
            result["parameters"] = parameters;
        }

        if (operation.Request is { } request)
        {
            result["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Schema(request, schemas) } },
            };
        }

        return result;
    }

    private static JsonObject Success(ApiOperationAttribute operation, JsonObject schemas)
    {
        var success = new JsonObject { ["description"] = operation.Status == 202 ? "Accepted: follow the operation at Location." : "Success." };
        if (operation.ContentType is { } contentType)
        {
            success["content"] = new JsonObject { [contentType] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } };
        }
        else if (operation.Response is { } response)
        {
            success["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Schema(response, schemas) } };
        }

        return success;
    }

    private static JsonArray Security(ApiCaller caller) => caller switch
    {
        ApiCaller.Tenant => [new JsonObject { ["functionKey"] = new JsonArray(), ["tenantCredential"] = new JsonArray() }],
        ApiCaller.Admin => [new JsonObject { ["masterKey"] = new JsonArray() }],
        ApiCaller.Agent => [new JsonObject { ["agentCredential"] = new JsonArray() }],
        _ => [],
    };

    private static JsonObject Schema(Type type, JsonObject schemas)
    {
        if (!schemas.ContainsKey(type.Name))
        {
            var schema = ApiJson.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
            schemas[type.Name] = WithoutBooleanSchemas(schema);
        }

        return Ref(type.Name);
    }

    /// <summary>
    /// JSON Schema writes "any value" (a <c>JsonElement</c> property) as <c>true</c>; OpenAPI tools expect a schema
    /// object, so it becomes <c>{}</c>, which means the same.
    /// </summary>
    private static JsonNode WithoutBooleanSchemas(JsonNode schema)
    {
        if (schema is JsonValue value && value.TryGetValue<bool>(out var any) && any)
        {
            return new JsonObject();
        }

        if (schema is JsonObject node)
        {
            // additionalProperties: false keeps its meaning (no other properties) and stays as it is.
            foreach (var key in new[] { "items", "additionalProperties" })
            {
                if (node[key] is { } child && !(child is JsonValue flag && flag.TryGetValue<bool>(out var allowed) && !allowed))
                {
                    node[key] = WithoutBooleanSchemas(child.DeepClone());
                }
            }

            foreach (var key in new[] { "properties", "$defs" })
            {
                if (node[key] is JsonObject children)
                {
                    foreach (var name in children.Select(c => c.Key).ToList())
                    {
                        children[name] = WithoutBooleanSchemas(children[name]!.DeepClone());
                    }
                }
            }

            foreach (var key in new[] { "anyOf", "oneOf", "allOf" })
            {
                if (node[key] is JsonArray options)
                {
                    for (var i = 0; i < options.Count; i++)
                    {
                        options[i] = WithoutBooleanSchemas(options[i]!.DeepClone());
                    }
                }
            }
        }

        return schema;
    }

    private static JsonObject Ref(string name) => new() { ["$ref"] = $"#/components/schemas/{name}" };

    private static string Describe(int status) => status switch
    {
        400 => "The request is not valid; errors names each failing field.",
        401 => "No valid key or credential.",
        404 => "No such object (also for another tenant's).",
        409 => "Conflicts with the object's state; blockingItems names what stands in the way when it can.",
        412 => "If-Match names an older version.",
        413 => "The body is larger than the API accepts.",
        415 => "The body is not application/json.",
        500 => "An unexpected failure; the traceId finds it in the logs.",
        503 => "A dependency (storage, Service Bus) is unavailable; retry.",
        _ => "A problem.",
    };

    private static JsonObject Problem() => JsonNode.Parse("""
        {
          "type": "object",
          "description": "RFC 9457 problem details.",
          "properties": {
            "type": { "type": "string", "format": "uri", "description": "Stable per kind of problem; switch on it." },
            "title": { "type": "string" },
            "status": { "type": "integer" },
            "detail": { "type": "string" },
            "traceId": { "type": "string" },
            "errors": { "type": "object", "additionalProperties": { "type": "array", "items": { "type": "string" } }, "description": "Field → messages, for validation problems." },
            "blockingItems": {
              "type": "array",
              "items": { "type": "object", "properties": { "kind": { "type": "string" }, "id": { "type": "string" }, "detail": { "type": "string" } } }
            }
          }
        }
        """)!.AsObject();
}
