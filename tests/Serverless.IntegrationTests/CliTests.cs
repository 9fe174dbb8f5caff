using System.Diagnostics;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// The tenant CLI (<c>hybrid</c>) against the running local system: its tables and its <c>--output json</c>, a pool's
/// sparkline from the readings its agent posted, an operation watched to its end (on a pseudo-terminal, with live
/// progress), and its one-line errors and exit codes.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class CliTests(CommandChannelFixture fixture) : IDisposable
{
    private readonly string _folder = RepositoryPaths.NewScratchFolder("cli");

    public void Dispose() => RepositoryPaths.DeleteScratchFolder(_folder);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Config_ThenZonesList_AsATableAndAsJson_AndErrorsAreOneLineWithTheirExitCode()
    {
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, "cli-site");
        var configured = await RunAsync(["config", "set", "--url", fixture.Host.BaseAddress.ToString(), "--key", LocalHostProcess.FunctionKey], withEnvironment: false);
        Assert.Equal(0, configured.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));

        var shown = await RunAsync(["config", "show"], withEnvironment: false);
        Assert.DoesNotContain(LocalHostProcess.FunctionKey, shown.Output, StringComparison.Ordinal);

        var table = await RunAsync(["zones", "list"], withEnvironment: false);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(table.Output.Split('\n'), line => line.Contains("cli-site", StringComparison.Ordinal) && line.Contains("client", StringComparison.Ordinal));

        var json = await RunAsync(["zones", "list", "--output", "json"], withEnvironment: false);
        Assert.Equal(0, json.ExitCode);
        using var zones = JsonDocument.Parse(json.Output);
        Assert.Contains(zones.RootElement.GetProperty("items").EnumerateArray(), z => z.GetProperty("name").GetString() == "cli-site");

        var missing = await RunAsync(["pools", "show", "no-such-pool"]);
        Assert.Equal(3, missing.ExitCode);
        var error = Assert.Single(missing.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: 404 Not Found", error, StringComparison.Ordinal);
        Assert.Contains("no-such-pool", error, StringComparison.Ordinal);

        var invalid = await RunAsync(["pools", "show", "any", "--minutes", "0"]);
        Assert.Equal(3, invalid.ExitCode);
        Assert.Contains("minutes: must be 1 to 1440", invalid.Error, StringComparison.Ordinal);

        Assert.Equal(2, (await RunAsync(["pools", "show"])).ExitCode);
        var unreachable = await RunAsync(["zones", "list"], environment: new Dictionary<string, string> { ["HYBRID_URL"] = $"http://127.0.0.1:{FreePorts.Next()}" });
        Assert.Equal(4, unreachable.ExitCode);
        Assert.StartsWith("error: ", unreachable.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PoolsShow_DrawsEachMembersReadings_AndPoolsListCountsTheActive()
    {
        await using var appliance = await LoadBalancerAppliance.StartAsync(members: 1);
        using var client = fixture.Host.CreateClient();
        var (agent, pool) = await LoadBalancerPools.CreateAsync(fixture, client, appliance, "cli-lb");
        await using var _ = agent;
        try
        {
            var shown = await Eventually.GetAsync<CliRun>(async () =>
            {
                var run = await RunAsync(["pools", "show", pool]);
                return run.ExitCode == 0 && run.Output.Split('\n').Any(l => l.Contains("lb-1", StringComparison.Ordinal) && l.Contains("active", StringComparison.Ordinal) && l.Contains('▁'))
                    ? run
                    : null;
            }, TimeSpan.FromSeconds(40), "lb-1 active with readings drawn", TimeSpan.FromSeconds(1));
            Assert.Contains("connections.active, activate above 100, deactivate below 10", shown!.Output, StringComparison.Ordinal);

            var list = await RunAsync(["pools", "list"]);
            Assert.Contains(list.Output.Split('\n'), l => l.Contains(pool, StringComparison.Ordinal) && l.Contains("connections.active", StringComparison.Ordinal));
            var json = await RunAsync(["pools", "show", pool, "-o", "json"]);
            using var document = JsonDocument.Parse(json.Output);
            Assert.NotEqual(0, document.RootElement.GetProperty("metrics").GetProperty("members")[0].GetProperty("readings").GetArrayLength());
        }
        finally
        {
            using var deleted = await client.DeleteAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative));
        }
    }

    [Fact]
    public async Task OperationsWatch_OnATerminal_ShowsLiveProgress_AndExitsOneWhenTheOperationFails_ZeroWhenItSucceeds()
    {
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, "cli-silent");
        var failing = await Api.PingAsync(client, "cli-silent", timeoutSeconds: 4);

        // script(1) gives the CLI a pseudo-terminal, as a user's shell would.
        var watched = await RunAsync(
            ["-qefc", $"dotnet {RepositoryPaths.CliAssembly} operations watch {failing}", "/dev/null"],
            environment: new Dictionary<string, string> { ["TERM"] = "xterm-256color", ["COLUMNS"] = "160" },
            program: "script");
        var screen = System.Text.RegularExpressions.Regex.Replace(watched.Output, @"\x1B(\[[0-9;?]*[A-Za-z]|[=>])", string.Empty);
        Assert.True(watched.ExitCode == 1, $"exit {watched.ExitCode}: {screen}");
        Assert.True(screen.Contains("waiting for agent", StringComparison.Ordinal), screen.Replace("\r", "\n", StringComparison.Ordinal));
        Assert.Contains($"{failing} ZonePingOrchestrator: failed", screen, StringComparison.Ordinal);

        await using var agent = await fixture.StartAgentAsync("agent-cli-ping", "cli-ping");
        var succeeding = await Api.PingAsync(client, "cli-ping");
        var lines = await RunAsync(["operations", "watch", succeeding]);
        Assert.Equal(0, lines.ExitCode);
        Assert.EndsWith($"{succeeding} ZonePingOrchestrator: succeeded, stage done, agentGroup cli-ping", lines.Output.TrimEnd(), StringComparison.Ordinal);
        var json = await RunAsync(["operations", "show", succeeding, "--output", "json"]);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal("succeeded", document.RootElement.GetProperty("status").GetString());
    }

    private string ConfigPath => Path.Combine(_folder, "config.json");

    /// <summary>
    /// Runs the CLI with its configuration file in the test's folder; <paramref name="withEnvironment"/> adds the API's
    /// URL and key as HYBRID_URL and HYBRID_KEY.
    /// </summary>
    private async Task<CliRun> RunAsync(
        IReadOnlyList<string> arguments, bool withEnvironment = true, IReadOnlyDictionary<string, string>? environment = null, string program = "dotnet")
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (program == "dotnet")
        {
            start.ArgumentList.Add(RepositoryPaths.CliAssembly);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HYBRID_CONFIG"] = ConfigPath;
        if (withEnvironment)
        {
            start.Environment["HYBRID_URL"] = fixture.Host.BaseAddress.ToString();
            start.Environment["HYBRID_KEY"] = LocalHostProcess.FunctionKey;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hybrid {string.Join(' ', arguments)} did not exit within 60 s.");
        }

        return new CliRun(process.ExitCode, await output, await error);
    }

    private sealed record CliRun(int ExitCode, string Output, string Error);
}
