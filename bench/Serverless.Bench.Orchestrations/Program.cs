using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Serverless.Testing;

// Load harness: registration wall time from POST /api/v1/resources to Registered, with every part real and in its own
// process: Azurite, the Service Bus emulator, the local Functions host and a relay agent verifying a libvirt
// test-driver host. Per durable queue polling setting: host start-up, RSS, p50/p99/max, and the part of the wall
// time the agent spent (its verification command, from its result's timings) against the part spent in the
// orchestration and its backend. Then where the time goes, as medians per registration from the durable history
// (each event's own timestamp): accepting the POST, dispatching orchestrator episodes from the control queues,
// dispatching and running activities, the command's trip through Service Bus to the agent and back over HTTP, and
// seeing the completed operation.
// Usage: dotnet run -c Release --project bench/Serverless.Bench.Orchestrations -- [runs] [polling...]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
var pollings = args.Length > 1 ? args[1..] : ["00:00:30", "00:00:01", "00:00:00.250"];
const string Queue = "commands-default";
var config = TenantQueueConfig.Json(Queue, "agents", "bench-agent-key", lockDurationSeconds: 30);

await using var azurite = await AzuriteProcess.StartAsync();
await using var emulator = await ServiceBusEmulatorProcess.StartAsync(config);
Console.WriteLine($"runs per setting: {runs} (after 3 warm-up runs)");
var breakdowns = new List<(string Polling, double[] Parts)>();
Console.WriteLine("polling       | start-up ms | RSS MB | p50 ms | p99 ms | max ms | agent p50 ms");
foreach (var (setting, polling) in pollings.Index())
{
    var startWatch = Stopwatch.StartNew();
    await using var host = await LocalHostProcess.StartAsync(azurite, new Dictionary<string, string>
    {
        ["LocalHost__MaxQueuePollingInterval"] = polling,
        ["ServiceBusConnection"] = emulator.ConnectionString,
    });
    var startupMs = startWatch.ElapsedMilliseconds;
    using var client = host.CreateClient();
    using var admin = host.CreateClient(LocalHostProcess.MasterKey);
    var zone = $"bench-{setting}";
    using var created = await client.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Json($$"""{"name":"{{zone}}","kind":"client"}"""));
    using var issued = await admin.PostAsync(new Uri("api/v1/agents/credentials", UriKind.Relative), Json($$"""{"agentId":"bench-agent-{{setting}}","agentGroup":"{{zone}}"}"""));
    var issuedBody = await issued.Content.ReadFromJsonAsync<JsonElement>();
    var credential = issuedBody.TryGetProperty("token", out var token) ? token.GetString()! : throw new InvalidOperationException($"No agent credential: {issuedBody}");
    await using var agent = await RelayAgentProcess.StartAsync(new RelayAgentSettings(
        $"bench-agent-{setting}", zone, "default", emulator.ConnectionStringFor("agents", "bench-agent-key", Queue), Queue,
        new Uri($"http://127.0.0.1:{host.Port}/"), credential, HeartbeatIntervalSeconds: 3600,
        Environment: new Dictionary<string, string> { ["RelayAgent__Libvirt__Uris__0"] = "test:///default" }));

    var timings = new List<double>();
    var agentTimings = new List<double>();
    var instances = new List<(string InstanceId, DateTimeOffset Posted, DateTimeOffset Seen)>();
    for (var i = -3; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        var posted = DateTimeOffset.UtcNow;
        using var accepted = await client.PostAsync(
            new Uri("api/v1/resources", UriKind.Relative),
            Json($$"""{"name":"s{{setting}}-h{{i + 3}}","zone":"{{zone}}","kind":"virtualizationHost","endpoint":"test:///default","serviceCategories":["compute"]}"""));
        var operationId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("operationId").GetString()!;
        JsonElement operation;
        while (true)
        {
            operation = await client.GetFromJsonAsync<JsonElement>(new Uri($"api/v1/operations/{operationId}", UriKind.Relative));
            if (operation.GetProperty("status").GetString() is "succeeded" or "failed")
            {
                break;
            }

            await Task.Delay(5);
        }

        var elapsed = watch.Elapsed.TotalMilliseconds;
        var seen = DateTimeOffset.UtcNow;
        if (operation.GetProperty("result").GetProperty("state").GetString() != "registered")
        {
            throw new InvalidOperationException($"Registration {operationId} was not registered: {operation}");
        }

        // The first runs warm up JIT and storage tables; they are not counted.
        if (i >= 0)
        {
            timings.Add(elapsed);
            agentTimings.Add(await AgentMillisecondsAsync(agent, i + 4));
            instances.Add(($"default.{operationId}", posted, seen));
        }
    }

    timings.Sort();
    agentTimings.Sort();
    var rssMb = ProcessStat.MemoryMiB(host.ProcessId);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{polling,-13} | {startupMs,11} | {rssMb,6:0} | {Percentile(timings, 0.50),6:0} | {Percentile(timings, 0.99),6:0} | {timings[^1],6:0} | {Percentile(agentTimings, 0.50),12:0.0}"));
    breakdowns.Add((polling, await HopBreakdown.MedianAsync(new TableClient(azurite.ConnectionString, $"{host.HubName}History"), instances)));
}

Console.WriteLine();
Console.WriteLine($"where the time goes (median ms per registration): {string.Join(" | ", HopBreakdown.Parts)}");
foreach (var (polling, parts) in breakdowns)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{polling,-13} | {string.Join(" | ", parts.Select(p => $"{p,5:0}"))}"));
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

// The agent logs "Command <id> (capabilities.verify) Succeeded in N ms" for each verification; the newest is this
// run's. Its console logger writes asynchronously, so wait for the line.
static async Task<double> AgentMillisecondsAsync(RelayAgentProcess agent, int verifications)
{
    for (var wait = 0; ; wait++)
    {
        var lines = agent.Output.Split('\n').Where(l => l.Contains("(capabilities.verify) Succeeded in ", StringComparison.Ordinal)).ToList();
        if (lines.Count >= verifications || wait == 200)
        {
            var line = lines[^1];
            var text = line[(line.LastIndexOf(" in ", StringComparison.Ordinal) + 4)..].Replace(" ms", string.Empty, StringComparison.Ordinal).Trim();
            return double.Parse(text, CultureInfo.InvariantCulture);
        }

        await Task.Delay(10);
    }
}

static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
