using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// Every route that takes a body, as the running app's OpenAPI document lists them, and every enum field of every body:
/// a duplicate key at any depth and an enum given as a number are refused naming the field. A new route or enum is
/// covered without a new test.
/// </summary>
[Collection(LocalSystemCollection.Name)]
public sealed class BodyContractTests(LocalSystemFixture system)
{
    private string? _agentToken;

    [Fact]
    public async Task EveryBodyRoute_DuplicateKeyAtAnyDepth_IsRefusedNamingTheKey()
    {
        var routes = await BodyRoutesAsync();
        Assert.True(routes.Count >= 11, $"only {routes.Count} body routes found in the OpenAPI document");
        var caseVariantsChecked = 0;
        foreach (var route in routes)
        {
            var cases = new List<(string Body, string Field)>
            {
                ($$"""{"{{route.Properties[0]}}":"a","{{route.Properties[0]}}":"b"}""", route.Properties[0]),
                ("""{"outer":{"list":[{"k":1},{"k":1,"k":2}]}}""", "outer.list[1].k"),
            };
            // Names match case-insensitively, so keys that differ only in case are one field given twice; a text
            // field keeps the first value from failing for its type before the second is read.
            if (route.TextProperties.FirstOrDefault() is { } text)
            {
                var variant = char.ToUpperInvariant(text[0]) + text[1..];
                cases.Add(($$"""{"{{text}}":"a","{{variant}}":"b"}""", variant));
                caseVariantsChecked++;
            }

            foreach (var (body, field) in cases)
            {
                var problem = await SendAsync(route, body);
                Assert.True(problem.Status == HttpStatusCode.BadRequest, $"{route}: {body} → {problem.Status} {problem.Text}");
                Assert.True(problem.Errors.TryGetProperty(field, out var messages), $"{route}: {body} → errors do not name {field}: {problem.Text}");
                Assert.Contains("more than once", messages[0].GetString(), StringComparison.Ordinal);
                Assert.EndsWith("/malformed-json", problem.Type, StringComparison.Ordinal);
            }
        }

        Assert.True(caseVariantsChecked >= 9, $"only {caseVariantsChecked} routes have a text field to check case variants with");
    }

    [Fact]
    public async Task EveryEnumField_GivenAsNumber_IsRefusedNamingTheFieldAndItsValues()
    {
        var routes = await BodyRoutesAsync();
        var checkedFields = 0;
        foreach (var route in routes)
        {
            foreach (var (path, values) in route.Enums)
            {
                foreach (var number in new JsonNode[] { JsonValue.Create(1), JsonValue.Create("1"), JsonValue.Create(0) })
                {
                    var body = BodyWith(path, number).ToJsonString();
                    var problem = await SendAsync(route, body);
                    Assert.True(problem.Status == HttpStatusCode.BadRequest, $"{route}: {body} → {problem.Status} {problem.Text}");
                    Assert.True(problem.Errors.TryGetProperty(path, out var messages), $"{route}: {body} → errors do not name {path}: {problem.Text}");
                    Assert.All(values, v => Assert.Contains(v, messages[0].GetString(), StringComparison.Ordinal));
                }

                checkedFields++;
            }
        }

        // Zone kind, resource kind, pool service kind, member preference, command status and error kind, agent role at least.
        Assert.True(checkedFields >= 7, $"only {checkedFields} enum fields found in request bodies");
    }

    private async Task<IReadOnlyList<BodyRoute>> BodyRoutesAsync()
    {
        using var client = system.Host.CreateClient(key: null);
        var document = JsonNode.Parse(await client.GetStringAsync(new Uri("api/v1/openapi.json", UriKind.Relative)))!;
        var schemas = document["components"]!["schemas"]!;
        var routes = new List<BodyRoute>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation!["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>() is not { } reference)
                {
                    continue;
                }

                var schema = schemas[reference.Split('/')[^1]]!;
                var caller = operation["security"]!.AsArray().FirstOrDefault()?.AsObject().Select(s => s.Key).FirstOrDefault() ?? "anyone";
                var enums = new List<(string, IReadOnlyList<string>)>();
                CollectEnums(schema, schema, string.Empty, enums, 0);
                var properties = schema["properties"]!.AsObject();
                routes.Add(new BodyRoute(
                    method.ToUpperInvariant(), FillParameters(path), caller, [.. properties.Select(p => p.Key)],
                    [.. properties.Where(p => IsText(p.Value!)).Select(p => p.Key)], enums));
            }
        }

        return routes;
    }

    /// <summary>A plain string field (not an enum, not a number or object that may also be a string).</summary>
    private static bool IsText(JsonNode property) =>
        property["enum"] is null && property["type"] is { } type
        && (type.GetValueKind() == JsonValueKind.String ? [type.GetValue<string>()] : type.AsArray().Select(t => t!.GetValue<string>()).ToArray())
            .Where(t => t != "null").SequenceEqual(["string"]);

    /// <summary>Enum fields of a body schema by JSON path (<c>members[0].kind</c>), following local <c>$ref</c>s.</summary>
    private static void CollectEnums(JsonNode root, JsonNode schema, string path, List<(string, IReadOnlyList<string>)> enums, int depth)
    {
        if (depth > 12)
        {
            return;
        }

        if (schema["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith('#'))
        {
            var target = root;
            foreach (var segment in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target[segment]!;
            }

            CollectEnums(root, target, path, enums, depth + 1);
            return;
        }

        if (schema["enum"] is JsonArray values && values.Any(v => v?.GetValueKind() == JsonValueKind.String))
        {
            enums.Add((path, [.. values.Where(v => v?.GetValueKind() == JsonValueKind.String).Select(v => v!.GetValue<string>())]));
            return;
        }

        foreach (var option in (schema["anyOf"] as JsonArray ?? []).Concat(schema["oneOf"] as JsonArray ?? []))
        {
            CollectEnums(root, option!, path, enums, depth + 1);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                CollectEnums(root, property!, path.Length == 0 ? name : $"{path}.{name}", enums, depth + 1);
            }
        }

        if (schema["items"] is JsonObject items)
        {
            CollectEnums(root, items, $"{path}[0]", enums, depth + 1);
        }
    }

    /// <summary><c>policy.preference</c> → <c>{"policy":{"preference":value}}</c>; <c>members[0].kind</c> → <c>{"members":[{"kind":value}]}</c>.</summary>
    private static JsonObject BodyWith(string path, JsonNode value)
    {
        var root = new JsonObject();
        JsonObject current = root;
        var segments = path.Split('.');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var name = segment.Split('[')[0];
            var last = i == segments.Length - 1;
            JsonNode next = last ? value.DeepClone() : new JsonObject();
            if (segment.Contains('[', StringComparison.Ordinal))
            {
                current[name] = new JsonArray(next);
            }
            else
            {
                current[name] = next;
            }

            if (!last)
            {
                current = (JsonObject)next;
            }
        }

        return root;
    }

    private static string FillParameters(string path) =>
        string.Join('/', path.TrimStart('/').Split('/').Select(s => s.StartsWith('{') ? "body-contract" : s));

    private async Task<Problem> SendAsync(BodyRoute route, string body)
    {
        using var client = system.Host.CreateClient(route.Caller == "masterKey" ? LocalHostProcess.MasterKey : LocalHostProcess.FunctionKey);
        if (route.Caller == "agentCredential")
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AgentTokenAsync());
        }

        using var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(route.Path, UriKind.Relative)) { Content = Api.Json(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text) : null;
        var errors = document?.RootElement.TryGetProperty("errors", out var e) == true ? e.Clone() : JsonDocument.Parse("{}").RootElement.Clone();
        var type = document?.RootElement.TryGetProperty("type", out var t) == true ? t.GetString() ?? string.Empty : string.Empty;
        return new Problem(response.StatusCode, type, errors, text);
    }

    private async Task<string> AgentTokenAsync()
    {
        if (_agentToken is null)
        {
            using var admin = system.Host.CreateClient(LocalHostProcess.MasterKey);
            using var issued = await admin.PostAsync(new Uri("api/v1/agents/credentials", UriKind.Relative), Api.Json("""{"agentId":"body-contract","agentGroup":"body-contract"}"""));
            Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
            _agentToken = (await Api.ReadJsonAsync(issued)).GetProperty("token").GetString()!;
        }

        return _agentToken;
    }

    private sealed record BodyRoute(
        string Method, string Path, string Caller, IReadOnlyList<string> Properties, IReadOnlyList<string> TextProperties, IReadOnlyList<(string Path, IReadOnlyList<string> Values)> Enums)
    {
        public override string ToString() => $"{Method} /{Path}";
    }

    private sealed record Problem(HttpStatusCode Status, string Type, JsonElement Errors, string Text);
}
