using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Serverless.Testing;

// Load harness: stacks with every part real and in its own process (Azurite, the Service Bus emulator, the local host
// at the shipped 1 s durable polling, two relay agents — a provider zone and a client zone, each with a libvirt
// test-driver host — and the snmpd load balancer behind the client agent). Side by side in one run:
//   1. rollout (apply → succeeded) of a one-instance stack, ROUNDS times, median;
//   2. rollout of a 50-instance stack spread over the two zones, ROUNDS times: median, as a multiple of (1), and where
//      its time goes by the journal's timestamps;
//   3. the same 50 instances with a last step that fails (a set on a read-only OID): its rollout part and its rollback
//      part, from the journal's own timestamps, and the rollback as a multiple of the rollout;
//   4. POST …/plans of a 500-instance template against the two hosts: median wall time of ROUNDS plans.
// Usage: dotnet run -c Release --project bench/Serverless.Bench.Stacks -- [rounds] [instances] [planItems]
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var instances = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var planItems = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 500;
const string Queue = "commands-default";
var polling = TimeSpan.FromMilliseconds(50);
var folder = RepositoryPaths.NewScratchFolder("bench-stacks");
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
    await using var appliance = await LoadBalancerAppliance.StartAsync(members: 1);
    using var client = host.CreateClient();
    using var admin = host.CreateClient(LocalHostProcess.MasterKey);
    var agents = new List<RelayAgentProcess>();
    var hosts = new List<string>();
    foreach (var (zone, kind) in new[] { ("bench-cloud", "provider"), ("bench-dc", "client") })
    {
        using (await client.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Json($$"""{"name":"{{zone}}","kind":"{{kind}}"}""")))
        {
        }

        using var issued = await admin.PostAsync(new Uri("api/v1/agents/credentials", UriKind.Relative), Json($$"""{"agentId":"agent-{{zone}}","agentGroup":"{{zone}}"}"""));
        var credential = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        Directory.CreateDirectory(Path.Combine(folder, zone));
        var uri = TestDriverNode.WriteWithImages(Path.Combine(folder, zone));
        agents.Add(await RelayAgentProcess.StartAsync(new RelayAgentSettings(
            $"agent-{zone}", zone, "default", emulator.ConnectionStringFor("agents", "bench-agent-key", Queue), Queue,
            new Uri($"http://127.0.0.1:{host.Port}/"), credential, HeartbeatIntervalSeconds: 30,
            Environment: new Dictionary<string, string>(TestDriverNode.ImageSettings)
            {
                ["RelayAgent__Libvirt__Uris__0"] = uri,
                ["RelayAgent__Snmp__Credentials__lb__Version"] = "2c",
                ["RelayAgent__Snmp__Credentials__lb__Community"] = SnmpdProcess.WriteCommunity,
            })));
        hosts.Add(await RegisterAsync(client, zone, $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}","serviceCategories":["compute"]}"""));
    }

    var lb = await RegisterAsync(client, "bench-dc", $$"""{"kind":"snmpAppliance","endpoint":"127.0.0.1:{{appliance.Snmpd.EndPoint.Port}}","deviceProfile":"simulated-load-balancer","credential":"lb"}""");

    // Warm-up: one small stack out and back.
    await RolloutAsync(client, "warm", Template(1, lb, fail: false), polling);
    await DeleteAsync(client, "warm", polling);

    var parts = new (string Name, int Pid)[] { ("Azurite", azurite.ProcessId), ("local host", host.ProcessId), ("Service Bus emulator", emulator.ProcessId), ("agents", agents[0].ProcessId), ("", agents[1].ProcessId) };
    var cpu = new double[parts.Length];
    var manyWall = 0.0;
    var one = new List<double>();
    var fifty = new List<double>();
    var rollouts = new List<double>();
    var rollbacks = new List<double>();
    var timelines = new List<double[]>();
    var manyApplies = new List<double>();
    var batches = new List<string>();
    for (var round = 0; round < rounds; round++)
    {
        one.Add(await RolloutAsync(client, $"one-{round}", Template(1, lb, fail: false), polling));
        await DeleteAsync(client, $"one-{round}", polling);
        var cpuBefore = parts.Select(p => ProcessStat.CpuMilliseconds(p.Pid)).ToArray();
        var appliedAt = DateTimeOffset.UtcNow;
        fifty.Add(await RolloutAsync(client, $"many-{round}", Template(instances, lb, fail: false), polling, applyRequests: manyApplies));
        manyWall += fifty[^1];
        timelines.Add(await TimelineAsync(client, $"many-{round}", appliedAt, appliedAt.AddMilliseconds(fifty[^1])));
        batches.Add(await BatchTimeline.DescribeAsync(azurite.ConnectionString, host.HubName, "StackOrchestrator", appliedAt));
        batches.Add("  " + await BatchTimeline.DescribeAsync(azurite.ConnectionString, host.HubName, "InstanceBatchLaunchOrchestrator", appliedAt));
        for (var p = 0; p < parts.Length; p++)
        {
            cpu[p] += ProcessStat.CpuMilliseconds(parts[p].Pid) - cpuBefore[p];
        }

        await DeleteAsync(client, $"many-{round}", polling);
        await RolloutAsync(client, $"fail-{round}", Template(instances, lb, fail: true), polling, expected: "rolledBack");
        var (rollout, rollback) = await PhasesAsync(client, $"fail-{round}");
        rollouts.Add(rollout);
        rollbacks.Add(rollback);
    }

    Console.WriteLine($"stack rollout, apply → succeeded ({rounds} rounds after a warm-up; medians):");
    Console.WriteLine($"  1 instance: {Median(one):0} ms");
    Console.WriteLine($"  {instances} instances over two zones: {Median(fifty):0} ms, {Median(fifty) / Median(one):0.00}× one instance (target ≤ 3×)");
    Console.WriteLine($"  where the {instances}-instance rollout's time goes (journal timestamps): " + string.Join(", ",
        new[] { "apply → run:begin", "run:begin → last launch done", "→ last appliance step done", "→ run:end", "→ status read succeeded" }
            .Select((name, i) => $"{name} {Median([.. timelines.Select(t => t[i])]):0} ms")));
    Console.WriteLine($"  the stack workflow and its launch workflow, each {instances}-instance rollout (ms from each one's start: activity or child scheduled →completed, results between):");
    batches.ForEach(b => Console.WriteLine($"    {b}"));
    Console.WriteLine($"  of which the apply request itself (until its 202): {Median(manyApplies):0} ms");
    cpu[3] += cpu[4];
    Console.WriteLine($"  CPU during the {instances}-instance rollouts, as a share of one core: " + string.Join(", ", parts.Take(4).Select((p, i) => $"{p.Name} {cpu[i] / manyWall * 100:0} %")));
    Console.WriteLine($"  {instances} instances and a failing last step: rollout part {Median(rollouts):0} ms, rollback part {Median(rollbacks):0} ms, " +
        $"rollback {Median(rollbacks) / Median(rollouts):0.00}× its rollout (target ≤ 1×)");

    var plans = new List<double>();
    for (var i = -1; i < rounds; i++)
    {
        var watch = Stopwatch.StartNew();
        using var planned = await client.PostAsync(new Uri("api/v1/stacks/big/plans", UriKind.Relative), Json(Template(planItems, lb, fail: false)));
        var ms = watch.Elapsed.TotalMilliseconds;
        var body = await planned.Content.ReadFromJsonAsync<JsonElement>();
        if (!planned.IsSuccessStatusCode || body.GetProperty("actions").GetArrayLength() != planItems + 1)
        {
            throw new InvalidOperationException($"the {planItems}-item plan failed: {body}");
        }

        if (i >= 0)
        {
            plans.Add(ms);
        }
    }

    Console.WriteLine($"plan of a {planItems}-instance stack (POST …/plans, placed on the two hosts, stored): median {Median(plans):0} ms over {rounds} (target < 1000 ms)");
    foreach (var agent in agents)
    {
        await agent.DisposeAsync();
    }
}
finally
{
    RepositoryPaths.DeleteScratchFolder(folder);
}

static string Template(int count, string lb, bool fail)
{
    var bad = fail
        ? $$$""",{"name":"bad","appliance":"{{{lb}}}","members":["1"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.2.{member}","type":"u","value":"5"}],"dependsOn":["app"]}"""
        : string.Empty;
    return $$$"""
        {"template":{"schemaVersion":1,"concurrency":{"perTier":100,"perZone":100},
         "tiers":[{"name":"app","count":{{{count}}},"zoneSelector":{"zones":["bench-cloud","bench-dc"]},"size":{"vcpus":1,"memoryMiB":64},"image":"{{{TestDriverNode.Image}}}","placement":{"spread":true}}],
         "appliances":[{"name":"lb","appliance":"{{{lb}}}","members":["1"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.1.{member}","type":"i","value":"1"}],"dependsOn":["app"]}{{{bad}}}]} }
        """;
}

static async Task<double> RolloutAsync(HttpClient client, string stack, string template, TimeSpan polling, string expected = "succeeded", List<double>? applyRequests = null)
{
    using var planned = await client.PostAsync(new Uri($"api/v1/stacks/{stack}/plans", UriKind.Relative), Json(template));
    var plan = await planned.Content.ReadFromJsonAsync<JsonElement>();
    var applyUrl = plan.TryGetProperty("applyUrl", out var url) ? url.GetString()!.TrimStart('/')["api/".Length..] : throw new InvalidOperationException(plan.ToString());
    var watch = Stopwatch.StartNew();
    using var applied = await client.PostAsync(new Uri($"api/{applyUrl}", UriKind.Relative), null);
    if (!applied.IsSuccessStatusCode)
    {
        throw new InvalidOperationException(await applied.Content.ReadAsStringAsync());
    }

    applyRequests?.Add(watch.Elapsed.TotalMilliseconds);

    await WaitForStatusAsync(client, stack, expected, polling);
    return watch.Elapsed.TotalMilliseconds;
}

static async Task DeleteAsync(HttpClient client, string stack, TimeSpan polling)
{
    using var deleted = await client.DeleteAsync(new Uri($"api/v1/stacks/{stack}", UriKind.Relative));
    await WaitForStatusAsync(client, stack, "deleted", polling);
}

static async Task WaitForStatusAsync(HttpClient client, string stack, string expected, TimeSpan polling)
{
    var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
    while (true)
    {
        var body = await client.GetFromJsonAsync<JsonElement>(new Uri($"api/v1/stacks/{stack}", UriKind.Relative));
        var status = body.GetProperty("status").GetString();
        if (status == expected)
        {
            return;
        }

        if (status is "succeeded" or "failed" or "rolledBack" or "rollbackFailed" or "deleted" || DateTime.UtcNow > deadline)
        {
            throw new InvalidOperationException($"stack {stack} ended {status}, not {expected}: {body}");
        }

        await Task.Delay(polling);
    }
}

// From the apply to the run's first journal entry, to the last launch's and the last appliance step's outcome, to the
// run's end, to the status read back: the parts of a rollout's wall time.
static async Task<double[]> TimelineAsync(HttpClient client, string stack, DateTimeOffset applied, DateTimeOffset seen)
{
    var events = await EventsAsync(client, stack);
    DateTimeOffset At(JsonElement e) => e.GetProperty("at").GetDateTimeOffset();
    bool Is(JsonElement e, string prefix, string phase) =>
        e.GetProperty("phase").GetString() == phase && e.TryGetProperty("item", out var item) && item.GetString()!.StartsWith(prefix, StringComparison.Ordinal);
    var marks = new[]
    {
        applied,
        At(events.First(e => e.GetProperty("phase").GetString() == "run:begin")),
        At(events.Last(e => Is(e, "instance:", "apply:done"))),
        At(events.Last(e => Is(e, "appliance:", "apply:done"))),
        At(events.Last(e => e.GetProperty("phase").GetString() == "run:end")),
        seen,
    };
    return [.. marks.Skip(1).Select((m, i) => (m - marks[i]).TotalMilliseconds)];
}

static async Task<List<JsonElement>> EventsAsync(HttpClient client, string stack)
{
    var events = new List<JsonElement>();
    string? token = null;
    do
    {
        var page = await client.GetFromJsonAsync<JsonElement>(new Uri(
            $"api/v1/stacks/{stack}/events?pageSize=200{(token is null ? string.Empty : $"&continuationToken={Uri.EscapeDataString(token)}")}", UriKind.Relative));
        events.AddRange(page.GetProperty("items").EnumerateArray());
        token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
    }
    while (token is not null);
    return events;
}

// The rollout part runs from the run's first journal entry to the first undo; the rollback part from there to the end.
static async Task<(double Rollout, double Rollback)> PhasesAsync(HttpClient client, string stack)
{
    var events = await EventsAsync(client, stack);
    DateTimeOffset At(JsonElement e) => e.GetProperty("at").GetDateTimeOffset();
    var begin = At(events.First(e => e.GetProperty("phase").GetString() == "run:begin"));
    var undo = At(events.First(e => e.GetProperty("phase").GetString() == "undo:begin"));
    var end = At(events.Last(e => e.GetProperty("phase").GetString() == "run:end"));
    return ((undo - begin).TotalMilliseconds, (end - undo).TotalMilliseconds);
}

static async Task<string> RegisterAsync(HttpClient client, string zone, string fields)
{
    var name = "r-" + Guid.NewGuid().ToString("N")[..8];
    using var registered = await client.PostAsync(new Uri("api/v1/resources", UriKind.Relative), Json($$"""{"name":"{{name}}","zone":"{{zone}}",{{fields[1..]}}"""));
    var operationId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("operationId").GetString()!;
    while (true)
    {
        var operation = await client.GetFromJsonAsync<JsonElement>(new Uri($"api/v1/operations/{operationId}", UriKind.Relative));
        if (operation.GetProperty("status").GetString() is "succeeded" or "failed")
        {
            return operation.GetProperty("result").GetProperty("state").GetString() == "registered" ? name : throw new InvalidOperationException(operation.ToString());
        }

        await Task.Delay(100);
    }
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
