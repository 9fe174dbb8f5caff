using System.Diagnostics;
using System.Net;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// The README's first command, <c>scripts/run.sh</c>, on free ports with its own state folder and the test build: a
/// part that dies (the demo agent, killed with SIGKILL) leaves the rest running and is named; <c>run.sh restart</c>
/// brings it back; the quick start launches the same request in the client and the provider zone; TERM stops every part it started.
/// </summary>
public sealed class RunScriptTests
{
    private static readonly string[] Parts = ["azurite", "servicebus", "host", "appliance", "demo-agent", "cloud-agent"];

    [Fact]
    public async Task RunScript_DemoAgentKilled_RestKeepsRunning_RestartBringsItBack_TermStopsEverything()
    {
        var state = RepositoryPaths.NewScratchFolder("run-script");
        var port = FreePorts.Next();
        var environment = new Dictionary<string, string?>
        {
            ["RUN_STATE_DIR"] = state,
            ["LocalHost__Port"] = $"{port}",
            ["SERVICEBUS_EMULATOR_PORT"] = $"{FreePorts.Next()}",
            ["APPLIANCE_SNMP_PORT"] = $"{FreePorts.Next()}",
            ["AZURITE_BLOB_PORT"] = $"{FreePorts.Next()}",
            ["AZURITE_QUEUE_PORT"] = $"{FreePorts.Next()}",
            ["AZURITE_TABLE_PORT"] = $"{FreePorts.Next()}",
            ["DurableTask__HubName"] = "run" + Guid.NewGuid().ToString("N")[..10],
        };
        var run = ChildProcess.Start("bash", ["scripts/run.sh", "--configuration", RepositoryPaths.Configuration, "--no-build"], environment, RepositoryPaths.Root);
        var pids = new Dictionary<string, int>();
        try
        {
            await Eventually.TrueAsync(() => run.Output.Contains("Parts:", StringComparison.Ordinal) || run.HasExited, TimeSpan.FromSeconds(120), "run.sh to start every part");
            Assert.False(run.HasExited, run.Output);
            foreach (var part in Parts)
            {
                pids[part] = PidOf(state, part);
            }

            using var client = Client(state, port);
            await PingAsync(client, "the first agent's ping");

            Process.GetProcessById(pids["demo-agent"]).Kill();
            await Eventually.TrueAsync(
                () => run.Output.Contains($"run: demo-agent (pid {pids["demo-agent"]}) exited", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "run.sh to name the part that exited");
            Assert.Contains("scripts/run.sh restart demo-agent", run.Output, StringComparison.Ordinal);
            Assert.All(Parts.Where(p => p != "demo-agent"), p => Assert.True(Alive(pids[p]), $"{p} stopped with the agent:\n{run.Output}"));
            using (var health = await client.GetAsync(new Uri("api/v1/health", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            var restart = ChildProcess.Start("bash", ["scripts/run.sh", "restart", "demo-agent"], environment, RepositoryPaths.Root);
            Assert.True(await restart.WaitForExitAsync(TimeSpan.FromSeconds(30)) && restart.ExitCode == 0, restart.Output);
            await Eventually.TrueAsync(() => run.Output.Contains("run: demo-agent started again", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the agent to start again");
            pids["demo-agent"] = PidOf(state, "demo-agent");
            Assert.True(Alive(pids["demo-agent"]));
            // The killed agent's session lock (30 s in run.sh's queue) must expire before the new agent takes the session.
            await PingAsync(client, "the restarted agent's ping");

            // The quick start: a compute host in each zone, and the same launch request in each.
            foreach (var zone in new[] { "demo-site", "demo-cloud" })
            {
                var host = await Api.RegisteredAsync(client, zone,
                    $$"""{"kind":"virtualizationHost","endpoint":"test://{{Path.Combine(state, "hosts", zone, "node.xml")}}","serviceCategories":["compute"]}""");
                using var launched = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(
                    $$"""{"name":"web-{{zone}}","zone":"{{zone}}","size":{"vcpus":1,"memoryMiB":512},"image":"ubuntu-24.04"}"""));
                Assert.True(launched.StatusCode == HttpStatusCode.Accepted, await launched.Content.ReadAsStringAsync());
                var operationId = (await Api.ReadJsonAsync(launched)).GetProperty("operationId").GetString()!;
                var operation = await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), TimeSpan.FromSeconds(60), "the launch");
                Assert.Equal(("running", host), (operation.GetProperty("result").GetProperty("state").GetString(), operation.GetProperty("result").GetProperty("hostId").GetString()));
            }

            await run.StopAsync(TimeSpan.FromSeconds(60));
            Assert.True(run.HasExited);
            Assert.Equal(143, run.ExitCode);
            Assert.All(Parts, p => Assert.False(Alive(pids[p]), $"{p} (pid {pids[p]}) outlived run.sh"));
        }
        finally
        {
            await run.DisposeAsync();
            foreach (var pid in pids.Values.Where(Alive))
            {
                Process.GetProcessById(pid).Kill();
            }

            RepositoryPaths.DeleteScratchFolder(state);
        }
    }

    private static async Task PingAsync(HttpClient client, string what)
    {
        var operationId = await Api.PingAsync(client, "demo-site", timeoutSeconds: 90);
        var operation = await Api.WaitForOperationAsync(client, operationId, o => !Api.HasStatus(o, "running") && !Api.HasStatus(o, "pending"), TimeSpan.FromSeconds(100), what);
        Assert.True(Api.HasStatus(operation, "succeeded"), operation.ToString());
    }

    private static HttpClient Client(string state, int port)
    {
        var key = File.ReadAllLines(Path.Combine(state, "keys.env"))
            .Select(l => l.Split('=', 2))
            .Single(p => p[0] == "export LocalHost__FunctionKey")[1];
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("x-functions-key", key);
        return client;
    }

    private static int PidOf(string state, string part) =>
        int.Parse(File.ReadAllText(Path.Combine(state, "run", $"{part}.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
