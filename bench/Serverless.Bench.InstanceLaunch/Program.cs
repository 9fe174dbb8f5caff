using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Serverless.Testing;

// Load harness: instance launch, POST /api/v1/instances → running, with every part real and in its own process
// (Azurite, the Service Bus emulator, the local host at the shipped 1 s durable polling, one relay agent on a libvirt
// test-driver host with an image pool). First LAUNCHES launches one after another: p50/p99/max, and the agent's own
// share (instance.define + instance.start as the agent timed them, from their stored results). Then MANY launches
// with CONCURRENCY in flight at once: the wall time, and it as a multiple of one launch's p50.
// Usage: dotnet run -c Release --project bench/Serverless.Bench.InstanceLaunch -- [launches] [many] [concurrency]
var launches = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
var many = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
const string Queue = "commands-default";

// One launch alone is timed closely; many at once poll as a client would, so the harness's own reads of the operations
// do not become the load (50 pollers every 5 ms would be 10,000 reads a second against the one Azurite).
var onePolling = TimeSpan.FromMilliseconds(5);
var manyPolling = TimeSpan.FromMilliseconds(100);
var folder = RepositoryPaths.NewScratchFolder("bench-launch");
try
{
    await using var azurite = await AzuriteProcess.StartAsync();
    await using var emulator = await ServiceBusEmulatorProcess.StartAsync(TenantQueueConfig.Json(Queue, "agents", "bench-agent-key", lockDurationSeconds: 30));
    await using var host = await LocalHostProcess.StartAsync(azurite, new Dictionary<string, string>
    {
        ["LocalHost__MaxQueuePollingInterval"] = "00:00:01",
        ["ServiceBusConnection"] = emulator.ConnectionString,
        ["Placement__CpuOvercommit"] = "64",
        ["Placement__MemoryOvercommit"] = "4",
    });
    using var client = host.CreateClient();
    using var admin = host.CreateClient(LocalHostProcess.MasterKey);
    using (await client.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Json("""{"name":"bench-site","kind":"client"}""")))
    {
    }

    using var issued = await admin.PostAsync(new Uri("api/v1/agents/credentials", UriKind.Relative), Json("""{"agentId":"bench-agent","agentGroup":"bench-site"}"""));
    var credential = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    var uri = TestDriverNode.WriteWithImages(folder);
    await using var agent = await RelayAgentProcess.StartAsync(new RelayAgentSettings(
        "bench-agent", "bench-site", "default", emulator.ConnectionStringFor("agents", "bench-agent-key", Queue), Queue,
        new Uri($"http://127.0.0.1:{host.Port}/"), credential, HeartbeatIntervalSeconds: 30,
        Environment: new Dictionary<string, string>(TestDriverNode.ImageSettings) { ["RelayAgent__Libvirt__Uris__0"] = uri }));
    using var registered = await client.PostAsync(new Uri("api/v1/resources", UriKind.Relative),
        Json($$"""{"name":"bench-kvm","zone":"bench-site","kind":"virtualizationHost","endpoint":"{{uri}}","serviceCategories":["compute"]}"""));
    var registration = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("operationId").GetString()!;
    await WaitAsync(client, registration, TimeSpan.FromMilliseconds(50));

    var single = new List<double>();
    for (var i = -3; i < launches; i++)
    {
        var (elapsed, _) = await LaunchAsync(client, $"one-{i + 3:000}", onePolling);
        if (i >= 0)
        {
            single.Add(elapsed);
        }
    }

    single.Sort();
    var agentShare = await AgentShareAsync(new TableClient(azurite.ConnectionString, "CommandResults"));
    Console.WriteLine($"launch POST → running, {launches} one after another (after 3 warm-up):");
    Console.WriteLine($"  p50 {Percentile(single, 0.5):0} ms, p99 {Percentile(single, 0.99):0} ms, max {single[^1]:0} ms; " +
        $"the agent's own define + start: median {agentShare:0.0} ms ({agentShare / Percentile(single, 0.5) * 100:0.0} % of p50), the rest is the control plane and the channel");

    // The host has room for about 250 of these instances: the ones launched one by one go before the many.
    using (var terminating = new SemaphoreSlim(20))
    {
        await Task.WhenAll(Enumerable.Range(0, launches + 3).Select(async i =>
        {
            await terminating.WaitAsync();
            try
            {
                using var deleted = await client.DeleteAsync(new Uri($"api/v1/instances/one-{i:000}", UriKind.Relative));
                var body = await deleted.Content.ReadFromJsonAsync<JsonElement>();
                await WaitAsync(client, body.GetProperty("operationId").GetString()!, manyPolling);
            }
            finally
            {
                terminating.Release();
            }
        }));
    }

    using var gate = new SemaphoreSlim(concurrency);
    var manyIds = new System.Collections.Concurrent.ConcurrentBag<string>();
    var parts = new (string Name, int Pid)[] { ("Azurite", azurite.ProcessId), ("local host", host.ProcessId), ("Service Bus emulator", emulator.ProcessId), ("agent", agent.ProcessId) };
    var cpuBefore = parts.Select(p => ProcessStat.CpuMilliseconds(p.Pid)).ToArray();
    var wall = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, many).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            manyIds.Add($"default.{(await LaunchAsync(client, $"many-{i:000}", manyPolling)).OperationId}");
        }
        finally
        {
            gate.Release();
        }
    }));
    var seconds = wall.Elapsed.TotalSeconds;
    Console.WriteLine($"{many} launches, {concurrency} at once: {seconds:0.0} s wall, {seconds * 1000 / Percentile(single, 0.5):0.0}× one launch's p50");
    Console.WriteLine("  CPU while they ran, as a share of one core: " + string.Join(", ", parts.Select((p, i) => $"{p.Name} {(ProcessStat.CpuMilliseconds(p.Pid) - cpuBefore[i]) / (seconds * 10):0} %")));
    Console.WriteLine("  where a launch's time went (medians of the launches' durable histories):");
    foreach (var (step, ms) in await StepBreakdown.MedianAsync(new TableClient(azurite.ConnectionString, $"{host.HubName}History"), [.. manyIds]))
    {
        Console.WriteLine($"    {step}: {ms:0} ms");
    }
}
finally
{
    RepositoryPaths.DeleteScratchFolder(folder);
}

static async Task<(double Ms, string OperationId)> LaunchAsync(HttpClient client, string name, TimeSpan polling)
{
    var watch = Stopwatch.StartNew();
    using var accepted = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative),
        Json($$$"""{"name":"{{{name}}}","zone":"bench-site","size":{"vcpus":1,"memoryMiB":64},"image":"{{{TestDriverNode.Image}}}"}"""));
    var body = await accepted.Content.ReadFromJsonAsync<JsonElement>();
    var operationId = body.TryGetProperty("operationId", out var id) ? id.GetString()! : throw new InvalidOperationException(body.ToString());
    var operation = await WaitAsync(client, operationId, polling);
    if (operation.GetProperty("result").GetProperty("state").GetString() != "running")
    {
        throw new InvalidOperationException($"{name} did not run: {operation}");
    }

    return (watch.Elapsed.TotalMilliseconds, operationId);
}

static async Task<JsonElement> WaitAsync(HttpClient client, string operationId, TimeSpan polling)
{
    while (true)
    {
        var operation = await client.GetFromJsonAsync<JsonElement>(new Uri($"api/v1/operations/{operationId}", UriKind.Relative));
        if (operation.GetProperty("status").GetString() is "succeeded" or "failed")
        {
            return operation;
        }

        await Task.Delay(polling);
    }
}

// The agent's own time per launch: the median of (define + start) execution, as the agent stamped its results.
static async Task<double> AgentShareAsync(TableClient results)
{
    var byKind = new Dictionary<string, List<double>>(StringComparer.Ordinal);
    await foreach (var entity in results.QueryAsync<TableEntity>())
    {
        var result = JsonDocument.Parse(entity.GetString("Result")).RootElement;
        var kind = result.GetProperty("kind").GetString()!;
        if (kind is "instance.define" or "instance.start")
        {
            var timings = result.GetProperty("timings");
            var ms = (timings.GetProperty("completedAt").GetDateTimeOffset() - timings.GetProperty("startedAt").GetDateTimeOffset()).TotalMilliseconds;
            (byKind.TryGetValue(kind, out var list) ? list : byKind[kind] = []).Add(ms);
        }
    }

    return byKind.Values.Sum(v => Percentile([.. v.Order()], 0.5));
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];

static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
