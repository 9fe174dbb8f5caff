using System.Globalization;
using System.Net;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// A pool of one member on a simulated load balancer (snmpd) in a client zone of its own, served by an agent holding
/// the appliance's v2c credential: minimum and maximum one active, so the evaluator puts lb-1 in service at once and
/// the agent then polls it; lb-1 costs 0.25 an hour against a budget of 1, and a nightly window keeps the same bounds. What the tracing, CLI and console tests look at.
/// </summary>
internal static class LoadBalancerPools
{
    public const string Member = "lb-1";

    /// <summary>A nightly window with the policy's own bounds and a measured lead: it shows in the pool's schedule and changes nothing.</summary>
    public const string Window = "nightly";

    /// <summary>
    /// The window's cron (Europe/Berlin): an hour twelve hours from now there, so the window is never open while a test
    /// reads it (a fixed hour made the tests fail an hour a day).
    /// </summary>
    public static string WindowCron { get; } = string.Create(
        CultureInfo.InvariantCulture, $"0 {(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Hour + 12) % 24} * * *");

    /// <summary>What an agent needs to reach the simulated load balancer: its v2c write credential, named <c>lb</c>.</summary>
    public static IReadOnlyDictionary<string, string> CredentialSettings { get; } = new Dictionary<string, string>
    {
        ["RelayAgent__Snmp__Credentials__lb__Version"] = "2c",
        ["RelayAgent__Snmp__Credentials__lb__Community"] = SnmpdProcess.WriteCommunity,
    };

    /// <summary>Registers the appliance in <paramref name="zone"/> with the <c>lb</c> credential; returns its resource id.</summary>
    public static Task<string> RegisterAsync(HttpClient client, string zone, LoadBalancerAppliance appliance) =>
        Api.RegisteredAsync(client, zone, $$"""{"kind":"snmpAppliance","endpoint":"127.0.0.1:{{appliance.Snmpd.EndPoint.Port}}","deviceProfile":"simulated-load-balancer","credential":"lb"}""");

    /// <summary>Starts the zone's agent, registers the appliance and creates the pool; the caller disposes the agent.</summary>
    public static async Task<(RelayAgentProcess Agent, string Pool)> CreateAsync(
        CommandChannelFixture fixture, HttpClient client, LoadBalancerAppliance appliance, string zone, IReadOnlyDictionary<string, string>? agentEnvironment = null)
    {
        var environment = new Dictionary<string, string>(agentEnvironment ?? new Dictionary<string, string>());
        foreach (var (name, value) in CredentialSettings)
        {
            environment[name] = value;
        }

        var agent = await fixture.StartAgentAsync($"agent-{zone}", zone, environment);
        try
        {
            var lb = await RegisterAsync(client, zone, appliance);
            var pool = $"{zone}-{Guid.NewGuid().ToString("N")[..6]}";
            using var created = await client.PostAsync(new Uri("api/v1/pools", UriKind.Relative), Api.Json($$$"""
                {"name":"{{{pool}}}","serviceKind":"loadBalancer","members":[{"id":"{{{Member}}}","resource":"{{{lb}}}","index":"1","costPerHour":0.25}],
                 "policy":{"metric":"connections.active","activateAbove":100,"activateAfterSeconds":60,"deactivateBelow":10,"deactivateAfterSeconds":60,
                           "cooldownSeconds":0,"minActive":1,"maxActive":1,"metricsIntervalSeconds":5,"actionTimeoutSeconds":60,"budget":{"perHour":1},
                           "schedule":[{"name":"{{{Window}}}","cron":"{{{WindowCron}}}","timeZone":"Europe/Berlin","durationMinutes":60,"minActive":1,"leadSeconds":30,"measuredLead":true}]}}
                """));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            return (agent, pool);
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
    }
}
