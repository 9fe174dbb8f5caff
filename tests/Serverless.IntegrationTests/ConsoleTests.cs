using System.Diagnostics;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// The web console in headless Chromium against the running local system: a real appliance polled by a real agent,
/// its pool's page drawing those readings. The browser is driven by <c>Console/console.test.mjs</c> (puppeteer-core
/// with Debian's chromium); its screenshots are kept under <c>.local/test-results/console</c>.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class ConsoleTests(CommandChannelFixture fixture)
{
    [Fact]
    public async Task Console_SignsIn_ListsZonesAndPools_AndThePoolChartShowsTheReadingsTheAgentPosted()
    {
        await using var appliance = await LoadBalancerAppliance.StartAsync(members: 1);
        appliance.SteerLoad(1, 60, 20);
        using var client = fixture.Host.CreateClient();
        var (agent, pool) = await LoadBalancerPools.CreateAsync(
            fixture, client, appliance, "console-lb", new Dictionary<string, string> { ["RelayAgent__HeartbeatIntervalSeconds"] = "2" });
        await using var _ = agent;
        try
        {
            await Eventually.GetAsync(async () =>
            {
                using var response = await client.GetAsync(new Uri($"api/v1/pools/{pool}/metrics", UriKind.Relative));
                var readings = (await Api.ReadJsonAsync(response)).GetProperty("members")[0].GetProperty("readings");
                return readings.GetArrayLength() > 0 && readings.EnumerateArray().All(r => r.GetProperty("value").GetDouble() == 60) ? "readings" : null;
            }, TimeSpan.FromSeconds(40), "the agent's first readings of lb-1, 60 connections");

            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "tests", "Serverless.IntegrationTests", "Console", "console.test.mjs"));
            start.Environment["CONSOLE_URL"] = new Uri(fixture.Host.BaseAddress, "api/console/").ToString();
            start.Environment["KEY"] = LocalHostProcess.FunctionKey;
            start.Environment["ZONE"] = "console-lb";
            start.Environment["POOL"] = pool;
            start.Environment["MEMBER"] = "lb-1";
            start.Environment["READING"] = "60";
            start.Environment["SCREENSHOTS"] = Path.Combine(RepositoryPaths.Root, ".local", "test-results", "console");
            using var browser = Process.Start(start)!;
            var output = browser.StandardOutput.ReadToEndAsync();
            var error = browser.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            try
            {
                await browser.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                browser.Kill(entireProcessTree: true);
                throw;
            }

            Assert.True(browser.ExitCode == 0, $"the console test failed:\n{await output}\n{await error}");
            Assert.Contains("console: ok", await output, StringComparison.Ordinal);
        }
        finally
        {
            using var deleted = await client.DeleteAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative));
        }
    }
}
