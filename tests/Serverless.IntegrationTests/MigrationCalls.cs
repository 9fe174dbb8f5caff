using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>Calls on <c>/api/v1/migrations</c> that the migration tests share.</summary>
internal static class MigrationCalls
{
    /// <summary>Waits until the migration is no longer running and returns it as <c>GET /api/v1/migrations/{id}</c> shows it.</summary>
    public static async Task<JsonElement> WaitForEndAsync(HttpClient client, string migration, TimeSpan timeout, string? after = null) =>
        await Eventually.GetAsync<JsonElement?>(async () =>
        {
            using var response = await client.GetAsync(new Uri($"api/v1/migrations/{migration}", UriKind.Relative));
            var body = await Api.ReadJsonAsync(response);
            return body.GetProperty("status").GetString() == "running" ? null : body;
        }, timeout, $"migration {migration} to end{after}") ?? default;
}
