using System.Net;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>What a host itself reports it runs (state sync through its agent), as <c>GET /api/v1/resources/{host}/instances</c> lists it.</summary>
internal static class HostDomains
{
    /// <summary>Waits until the host reports exactly <paramref name="expected"/> (<c>name:state</c>, in name order).</summary>
    public static async Task WaitForAsync(HttpClient client, string host, string[] expected)
    {
        string? last = null;
        DateTimeOffset? written = null;
        try
        {
            await Eventually.GetAsync<object>(async () =>
            {
                using var response = await client.GetAsync(new Uri($"api/v1/resources/{host}/instances", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var items = (await Api.ReadJsonAsync(response)).GetProperty("items").EnumerateArray().ToList();
                last = string.Join(",", items.Select(i => $"{i.GetProperty("name").GetString()}:{i.GetProperty("state").GetString()}").Order(StringComparer.Ordinal));
                written = items.Count == 0 ? null : items.Max(i => i.GetProperty("updatedAt").GetDateTimeOffset());
                return last == string.Join(",", expected) ? new object() : null;
            }, TimeSpan.FromSeconds(30), $"the domains of {host}");
        }
        catch (TimeoutException)
        {
            // When the host's last report was written says whether reports stopped coming or kept saying the same.
            throw new TimeoutException($"{host} reports [{last}], not [{string.Join(",", expected)}] (written {written:O}, now {DateTimeOffset.UtcNow:O})");
        }
    }
}
