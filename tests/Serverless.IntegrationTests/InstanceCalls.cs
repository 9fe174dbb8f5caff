using System.Net;
using System.Text.Json;

namespace Serverless.IntegrationTests;

/// <summary>Calls on <c>/api/v1/instances</c> that the instance tests share: wait for an accepted operation, run an action, read an instance.</summary>
internal static class InstanceCalls
{
    /// <summary>Waits for the operation a 202 named; it must succeed.</summary>
    public static async Task<JsonElement> WaitAsync(HttpClient client, HttpResponseMessage accepted, TimeSpan timeout)
    {
        var operationId = (await Api.ReadJsonAsync(accepted)).GetProperty("operationId").GetString()!;
        var operation = await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), timeout, "the instance operation");
        Assert.True(Api.HasStatus(operation, "succeeded"), operation.ToString());
        return operation;
    }

    /// <summary>Runs an action that has work to do (202), which must end without a reason, and returns the state it ended in.</summary>
    public static async Task<string> ActAsync(HttpClient client, string name, string action, TimeSpan timeout)
    {
        using var response = await client.PostAsync(new Uri($"api/v1/instances/{name}/{action}", UriKind.Relative), null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{action}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var operation = await WaitAsync(client, response, timeout);
        var result = operation.GetProperty("result");
        Assert.True(result.GetProperty("reason").ValueKind == JsonValueKind.Null, operation.ToString());
        return result.GetProperty("state").GetString()!;
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string name)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/instances/{name}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Api.ReadJsonAsync(response);
    }
}
