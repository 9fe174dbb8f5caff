using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// The tenant CLI (<c>hybrid</c>) against the running local system: its tables and its <c>--output json</c>, a pool's
/// sparkline from the readings its agent posted, operations watched to their end (on a pseudo-terminal, with live
/// progress), resources registered, instances launched and acted on, a stack planned as a diff and applied with
/// progress per tier, a migration with its progress bar — each checked on the hosts through their agents — and its
/// one-line errors and exit codes.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class CliTests(CommandChannelFixture fixture) : IAsyncLifetime
{
    private readonly TestSites _sites = new(fixture, "cli");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sites.DisposeAsync();

    [Fact]
    public async Task ResourcesRegister_Wait_EndsRegisteredOrRejected_AndInstancesLaunchActBatchAndTerminate()
    {
        using var client = fixture.Host.CreateClient();
        const string zone = "cli-i";
        await Api.CreateZoneAsync(client, zone);
        var uri = _sites.NewHostUri("cli-i-host");
        await _sites.StartAgentAsync("agent-cli-i-host", zone, new Dictionary<string, string>(TestDriverNode.ImageSettings) { ["RelayAgent__Libvirt__Uris__0"] = uri });

        var registered = await RunAsync(["resources", "register", "--name", "cli-i-host", "--zone", zone, "--kind", "virtualizationHost", "--endpoint", uri, "--service", "compute", "--wait"]);
        Assert.True(registered.ExitCode == 0, registered.Output + registered.Error);
        Assert.Contains(registered.Output.Split('\n'), l => l.Contains("state", StringComparison.Ordinal) && l.Contains("registered", StringComparison.Ordinal));
        Assert.Contains(registered.Output.Split('\n'), l => l.Contains("libvirt.images", StringComparison.Ordinal) && l.Contains(TestDriverNode.Image, StringComparison.Ordinal));

        await Api.CreateZoneAsync(client, "cli-i-empty");
        var rejected = await RunAsync(["resources", "register", "--name", "cli-i-nobody", "--zone", "cli-i-empty", "--kind", "virtualizationHost", "--endpoint", "test:///default", "--verification-timeout", "5", "--wait"]);
        Assert.True(rejected.ExitCode == 1, rejected.Output + rejected.Error);
        Assert.Contains("did not answer the capability verification within 5 seconds", rejected.Output, StringComparison.Ordinal);
        var resources = await RunAsync(["resources", "list"]);
        Assert.Contains(resources.Output.Split('\n'), l => l.Contains("cli-i-nobody", StringComparison.Ordinal) && l.Contains("rejected", StringComparison.Ordinal));

        var launched = await RunAsync(["instances", "launch", "--name", "cli-i-1", "--zone", zone, "--image", TestDriverNode.Image, "--memory", "256", "--tag", "tier=web", "--wait"]);
        Assert.True(launched.ExitCode == 0, launched.Output + launched.Error);
        Assert.Contains("InstanceLaunchOrchestrator: succeeded", launched.Output, StringComparison.Ordinal);
        var listed = await RunAsync(["instances", "list", "--tag", "tier=web"]);
        Assert.Contains(listed.Output.Split('\n'), l => l.Contains("cli-i-1", StringComparison.Ordinal) && l.Contains("running", StringComparison.Ordinal));
        await HostDomains.WaitForAsync(client, "cli-i-host", ["cli-i-1:running"]);

        Assert.Equal(0, (await RunAsync(["instances", "stop", "cli-i-1", "--wait"])).ExitCode);
        await HostDomains.WaitForAsync(client, "cli-i-host", ["cli-i-1:shutOff"]);
        var again = await RunAsync(["instances", "stop", "cli-i-1"]);
        Assert.Equal("cli-i-1 is already stopped: nothing to do", again.Output.Trim());

        var batch = await RunAsync(["instances", "batch", "start", "--tag", "tier=web", "--max-concurrency", "2", "--wait"]);
        Assert.True(batch.ExitCode == 0, batch.Output + batch.Error);
        await HostDomains.WaitForAsync(client, "cli-i-host", ["cli-i-1:running"]);

        var terminated = await RunAsync(["instances", "terminate", "cli-i-1", "--wait", "-o", "json"]);
        Assert.Equal(0, terminated.ExitCode);
        using (var operation = JsonDocument.Parse(terminated.Output))
        {
            Assert.Equal("succeeded", operation.RootElement.GetProperty("status").GetString());
        }

        await HostDomains.WaitForAsync(client, "cli-i-host", []);
        var unknownTag = await RunAsync(["instances", "launch", "--name", "x", "--zone", zone, "--image", "i", "--tag", "novalue"]);
        Assert.Equal(2, unknownTag.ExitCode);
        Assert.Equal("error: --tag 'novalue' is not key=value.", unknownTag.Error.Trim());
    }

    [Fact]
    public async Task StacksPlan_PrintsADiff_ApplyWait_FollowsEachTier_AndDeleteUndoesIt()
    {
        using var client = fixture.Host.CreateClient();
        const string zone = "cli-s";
        var host = await _sites.HostZoneAsync(client, zone);
        var template = Path.Combine(_sites.Folder, "shop.yaml");
        await File.WriteAllTextAsync(template, $$"""
            # two tiers in one zone, the second after the first
            schemaVersion: 1
            parameters:
              webs: { type: integer, default: 1 }
            tiers:
              - name: db
                count: 1
                zone: {{zone}}
                size: { vcpus: 1, memoryMiB: 256 }
                image: {{TestDriverNode.Image}}
              - name: web
                count: ${webs}
                zone: {{zone}}
                size: { vcpus: 1, memoryMiB: 256 }
                image: {{TestDriverNode.Image}}
                dependsOn: [db]
            """);

        var plan = await RunAsync(["stacks", "plan", "cli-shop", "--file", template, "--param", "webs=2"]);
        Assert.True(plan.ExitCode == 0, plan.Output + plan.Error);
        Assert.Contains(plan.Output.Split('\n'), l => l.StartsWith($"+ create   instance:web:2 in {zone} on {host}: ", StringComparison.Ordinal));
        Assert.Contains("3 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged", plan.Output, StringComparison.Ordinal);

        var applied = await RunAsync(["stacks", "apply", "cli-shop", "--file", template, "--param", "webs=2", "--wait"]);
        Assert.True(applied.ExitCode == 0, applied.Output + applied.Error);
        var progress = applied.Output.Split('\n').Where(l => l.StartsWith("cli-shop: rollingOut; ", StringComparison.Ordinal)).ToList();
        Assert.Contains(progress, l => l.Contains("instance db: ", StringComparison.Ordinal) && l.Contains("instance web: ", StringComparison.Ordinal));
        Assert.Contains("stack cli-shop: succeeded", applied.Output, StringComparison.Ordinal);
        await HostDomains.WaitForAsync(client, host, ["cli-shop-db-1:running", "cli-shop-web-1:running", "cli-shop-web-2:running"]);

        var replan = await RunAsync(["stacks", "plan", "cli-shop", "--file", template, "--param", "webs=2"]);
        Assert.All(replan.Output.Split('\n').Where(l => l.Contains("instance:", StringComparison.Ordinal)), l => Assert.StartsWith("= noOp", l, StringComparison.Ordinal));
        var shown = await RunAsync(["stacks", "show", "cli-shop", "-o", "json"]);
        using (var stack = JsonDocument.Parse(shown.Output))
        {
            Assert.Equal(3, stack.RootElement.GetProperty("items").GetArrayLength());
        }

        var events = await RunAsync(["stacks", "events", "cli-shop"]);
        Assert.Contains(events.Output.Split('\n'), l => l.Contains("instance:web:2", StringComparison.Ordinal) && l.Contains("apply:done", StringComparison.Ordinal));

        var deleted = await RunAsync(["stacks", "delete", "cli-shop", "--wait"]);
        Assert.True(deleted.ExitCode == 0, deleted.Output + deleted.Error);
        await HostDomains.WaitForAsync(client, host, []);

        var badParam = await RunAsync(["stacks", "plan", "cli-shop", "--file", template, "--param", "webs"]);
        Assert.Equal(2, badParam.ExitCode);
        var refused = await RunAsync(["stacks", "plan", "cli-shop", "--file", template, "--param", "webs=\"two\""]);
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("parameters.webs", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrationsStart_Test_ThenWaitOnATerminal_DrawsItsProgress_AndTheInstanceRunsAtTheTarget()
    {
        using var client = fixture.Host.CreateClient();
        var (zone, cloud) = ("cli-m", "cli-m-cloud");
        var host = await _sites.HostZoneAsync(client, zone);
        var cloudHost = await _sites.HostZoneAsync(client, cloud, "provider");
        Assert.Equal(0, (await RunAsync(["instances", "launch", "--name", "cli-m-1", "--zone", zone, "--image", TestDriverNode.Image, "--memory", "256", "--wait"])).ExitCode);

        var tested = await RunAsync(["migrations", "start", "cli-m-1", "--target-zone", cloud, "--test", "--wait"]);
        Assert.True(tested.ExitCode == 0, $"exit {tested.ExitCode}: {tested.Output}{tested.Error}");
        Assert.Contains("(test: a cutover would succeed)", tested.Output, StringComparison.Ordinal);
        await HostDomains.WaitForAsync(client, host, ["cli-m-1:running"]);
        await HostDomains.WaitForAsync(client, cloudHost, []);

        var moved = await RunAsync(
            ["-qefc", $"dotnet {RepositoryPaths.CliAssembly} migrations start cli-m-1 --target-zone {cloud} --wait", "/dev/null"],
            environment: new Dictionary<string, string> { ["TERM"] = "xterm-256color", ["COLUMNS"] = "160" },
            program: "script");
        var screen = System.Text.RegularExpressions.Regex.Replace(moved.Output, @"\x1B(\[[0-9;?]*[A-Za-z]|[=>])", string.Empty);
        Assert.True(moved.ExitCode == 0, $"exit {moved.ExitCode}: {screen}");
        Assert.Contains("cli-m-1: ", screen, StringComparison.Ordinal);
        Assert.Contains("100%", screen, StringComparison.Ordinal);
        Assert.Contains("cleanUp", screen, StringComparison.Ordinal);
        await HostDomains.WaitForAsync(client, host, []);
        await HostDomains.WaitForAsync(client, cloudHost, ["cli-m-1:running"]);

        var listed = await RunAsync(["migrations", "list", "--instance", "cli-m-1"]);
        Assert.Contains(listed.Output.Split('\n'), l => l.Contains("cli-m-1", StringComparison.Ordinal) && l.Contains("succeeded", StringComparison.Ordinal));
        var refused = await RunAsync(["migrations", "start", "cli-m-1", "--target-zone", zone.Replace("cli-m", "nowhere", StringComparison.Ordinal)]);
        Assert.Equal(3, refused.ExitCode);
    }

    [Fact]
    public async Task OperationsList_ShowsWhatAStuckOperationWaitsOn()
    {
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, "cli-stall");
        var stuck = await Api.PingAsync(client, "cli-stall", timeoutSeconds: 120);
        await Api.WaitForOperationAsync(client, stuck, o => o.TryGetProperty("stuck", out _), TimeSpan.FromSeconds(30), "the ping to show as stuck");

        var listed = await RunAsync(["operations", "list", "--status", "running"]);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains(listed.Output.Split('\n'), l => l.Contains(stuck, StringComparison.Ordinal) && l.Contains("waiting on agent group cli-stall", StringComparison.Ordinal));
        var bad = await RunAsync(["operations", "list", "--status", "stuck"]);
        Assert.Equal(3, bad.ExitCode);
        Assert.Contains("status: 'stuck' is not one of", bad.Error, StringComparison.Ordinal);
    }

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
            var shown = await Eventually.GetAsync<ChildRun>(async () =>
            {
                var run = await RunAsync(["pools", "show", pool]);
                return run.ExitCode == 0 && run.Output.Split('\n').Any(l => l.Contains("lb-1", StringComparison.Ordinal) && l.Contains("active", StringComparison.Ordinal) && l.Contains('▁'))
                    ? run
                    : null;
            }, TimeSpan.FromSeconds(40), "lb-1 active with readings drawn", TimeSpan.FromSeconds(1));
            Assert.Contains("connections.active, activate above 100, deactivate below 10", shown!.Output, StringComparison.Ordinal);
            Assert.Contains($"window {LoadBalancerPools.Window}: next from ", shown.Output, StringComparison.Ordinal);
            Assert.Contains("running 0.25/h", shown.Output, StringComparison.Ordinal);

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

    private string ConfigPath => Path.Combine(_sites.Folder, "config.json");

    /// <summary>
    /// Runs the CLI with its configuration file in the test's folder; <paramref name="withEnvironment"/> adds the API's
    /// URL and key as HYBRID_URL and HYBRID_KEY.
    /// </summary>
    private async Task<ChildRun> RunAsync(
        IReadOnlyList<string> arguments, bool withEnvironment = true, IReadOnlyDictionary<string, string>? environment = null, string program = "dotnet")
    {
        var programArguments = program == "dotnet" ? [RepositoryPaths.CliAssembly, .. arguments] : arguments;
        var variables = new Dictionary<string, string?> { ["HYBRID_CONFIG"] = ConfigPath };
        if (withEnvironment)
        {
            variables["HYBRID_URL"] = fixture.Host.BaseAddress.ToString();
            variables["HYBRID_KEY"] = LocalHostProcess.FunctionKey;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        return await ChildProcess.RunAsync(program, programArguments, variables, Environment.CurrentDirectory, TimeSpan.FromSeconds(60));
    }
}
