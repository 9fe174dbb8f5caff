using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>Small helpers for calling the API over real HTTP and reading its answers.</summary>
internal static class Api
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static async Task CreateZoneAsync(HttpClient client, string name, string kind = "client")
    {
        using var response = await client.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Json($$"""{"name":"{{name}}","kind":"{{kind}}"}"""));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Registers a libvirt host and returns the operation id.</summary>
    public static async Task<string> RegisterHostAsync(HttpClient client, string zone, string name)
    {
        using var response = await client.PostAsync(
            new Uri("api/v1/resources", UriKind.Relative),
            Json($$"""{"name":"{{name}}","zone":"{{zone}}","kind":"virtualizationHost","endpoint":"test:///default","serviceCategories":["compute"]}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal(body.GetProperty("operationUrl").GetString(), response.Headers.Location?.ToString());
        return body.GetProperty("operationId").GetString()!;
    }

    public static async Task<JsonElement?> GetOperationAsync(HttpClient client, string operationId)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/operations/{operationId}", UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await ReadJsonAsync(response);
    }

    public static async Task<JsonElement> WaitForOperationAsync(HttpClient client, string operationId, Func<JsonElement, bool> condition, TimeSpan timeout, string what)
    {
        var operation = await Eventually.GetAsync<JsonElement?>(
            async () => await GetOperationAsync(client, operationId) is { } current && condition(current) ? current : null,
            timeout,
            what);
        return operation!.Value;
    }

    /// <summary>Waits until the operation answers 404, as after a history purge.</summary>
    public static Task WaitForOperationGoneAsync(HttpClient client, string operationId, TimeSpan timeout, string what) =>
        Eventually.GetAsync<object>(async () => await GetOperationAsync(client, operationId) is null ? new object() : null, timeout, what);

    public static bool HasStatus(JsonElement operation, string status) => operation.GetProperty("status").GetString() == status;

    public static bool IsAtStep(JsonElement operation, string step) =>
        operation.TryGetProperty("progress", out var progress) && progress.GetProperty("step").GetString() == step;

    public static Task<JsonElement> GetResourceAsync(HttpClient client, string resourceId) =>
        client.GetFromJsonAsync<JsonElement>(new Uri($"api/v1/resources/{resourceId}", UriKind.Relative));

    /// <summary>Asks the zone's agent group for a ping (202) and returns the operation id.</summary>
    public static async Task<string> PingAsync(HttpClient client, string zone, int? timeoutSeconds = null)
    {
        var query = timeoutSeconds is { } seconds ? $"?timeoutSeconds={seconds}" : string.Empty;
        using var response = await client.PostAsync(new Uri($"api/v1/zones/{zone}/ping{query}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("operationId").GetString()!;
    }

    /// <summary>Registers a resource under a fresh name in <paramref name="zone"/> and waits up to 60 s for the registration to end.</summary>
    /// <param name="fields">The request's other fields as a JSON object, e.g. <c>{"kind":"virtualizationHost","endpoint":"test:///default"}</c>.</param>
    public static async Task<(string Name, JsonElement Operation)> RegisterAndWaitAsync(HttpClient client, string zone, string fields)
    {
        var name = "res-" + Guid.NewGuid().ToString("N")[..8];
        using var response = await client.PostAsync(new Uri("api/v1/resources", UriKind.Relative), Json($$"""{"name":"{{name}}","zone":"{{zone}}",{{fields[1..]}}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var operationId = (await ReadJsonAsync(response)).GetProperty("operationId").GetString()!;
        var operation = await WaitForOperationAsync(client, operationId, o => HasStatus(o, "succeeded") || HasStatus(o, "failed"), TimeSpan.FromSeconds(60), "the registration to finish");
        return (name, operation);
    }

    /// <summary>As <see cref="RegisterAndWaitAsync"/>, and the resource must have ended registered; returns its name.</summary>
    public static async Task<string> RegisteredAsync(HttpClient client, string zone, string fields)
    {
        var (name, operation) = await RegisterAndWaitAsync(client, zone, fields);
        Assert.True(operation.GetProperty("result").GetProperty("state").GetString() == "registered", operation.ToString());
        return name;
    }
}
