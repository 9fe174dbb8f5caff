using System.Net;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>The operations list and the stuck detector, against the running local host.</summary>
[Collection(CommandChannelCollection.Name)]
public sealed class OperationTests(CommandChannelFixture fixture)
{
    [Fact]
    public async Task An_operation_waiting_on_a_group_nobody_answers_for_shows_as_stuck_naming_the_group_and_the_command()
    {
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, "stall-zone");

        var operationId = await Api.PingAsync(client, "stall-zone", timeoutSeconds: 120);
        var fresh = await Api.GetOperationAsync(client, operationId);
        Assert.False(fresh!.Value.TryGetProperty("stuck", out _), fresh.Value.ToString());

        var operation = await Api.WaitForOperationAsync(
            client, operationId, o => o.TryGetProperty("stuck", out _), TimeSpan.FromSeconds(30), "the ping to show as stuck");
        var reason = operation.GetProperty("stuck").GetProperty("reason").GetString();
        Assert.Matches(@"^no progress for \d+ s: waiting on agent group stall-zone for agent\.ping \(sent \d+ s ago\), never heard from$", reason);
        Assert.True(Api.HasStatus(operation, "running"), operation.ToString());

        // The list finds it among the running ones, stuck as well, and the finished ones are not in that list.
        var listed = await Eventually.GetAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri("api/v1/operations?status=running&pageSize=200", UriKind.Relative));
            var items = (await Api.ReadJsonAsync(response)).GetProperty("items").EnumerateArray().ToList();
            Assert.All(items, item => Assert.True(Api.HasStatus(item, "running"), item.ToString()));
            var found = items.Where(item => item.GetProperty("id").GetString() == operationId).ToList();
            return found.Count == 1 ? found[0].ToString() : null;
        }, TimeSpan.FromSeconds(20), "the ping in the list of running operations");
        using var item = JsonDocument.Parse(listed);
        Assert.Contains("Ping", item.RootElement.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("no progress for ", item.RootElement.GetProperty("stuck").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_pages_and_refuses_a_bad_status_or_page_size_naming_the_field()
    {
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, "list-zone");
        var first = await Api.PingAsync(client, "list-zone", timeoutSeconds: 1);
        var second = await Api.PingAsync(client, "list-zone", timeoutSeconds: 1);
        await Api.WaitForOperationAsync(client, second, o => Api.HasStatus(o, "failed"), TimeSpan.FromSeconds(60), "the second ping to fail");
        await Api.WaitForOperationAsync(client, first, o => Api.HasStatus(o, "failed"), TimeSpan.FromSeconds(60), "the first ping to fail");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        var pages = 0;
        do
        {
            var query = "api/v1/operations?status=failed,canceled&pageSize=1" + (token is null ? string.Empty : $"&continuationToken={Uri.EscapeDataString(token)}");
            using var response = await client.GetAsync(new Uri(query, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await Api.ReadJsonAsync(response);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.True(items.Count <= 1, page.ToString());
            Assert.All(items, item => Assert.True(Api.HasStatus(item, "failed") || Api.HasStatus(item, "canceled"), item.ToString()));
            seen.UnionWith(items.Select(item => item.GetProperty("id").GetString()!));
            token = page.TryGetProperty("continuationToken", out var next) ? next.GetString() : null;
            pages++;
        }
        while (token is not null && pages < 500);

        Assert.Contains(first, seen);
        Assert.Contains(second, seen);

        // Created after a moment: both pings when it is before them, neither when it is after.
        var before = DateTimeOffset.UtcNow.AddMinutes(-2).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var after = DateTimeOffset.UtcNow.AddMinutes(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(first, await IdsAsync(client, $"createdAfter={Uri.EscapeDataString(before)}&pageSize=200"));
        Assert.DoesNotContain(first, await IdsAsync(client, $"createdAfter={Uri.EscapeDataString(after)}&pageSize=200"));

        foreach (var (query, field) in new[]
        {
            ("status=stuck", "status"), ("pageSize=0", "pageSize"), ("pageSize=201", "pageSize"), ("pageSize=x", "pageSize"),
            ("createdAfter=yesterday", "createdAfter"), ("createdAfter=2026-12-02T10:00:00", "createdAfter"),
        })
        {
            using var response = await client.GetAsync(new Uri($"api/v1/operations?{query}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await Api.ReadJsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _), query);
        }
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/operations?{query}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await Api.ReadJsonAsync(response)).GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!)];
    }
}
