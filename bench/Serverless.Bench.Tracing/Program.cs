using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Serverless.Testing;

// The cost of tracing, side by side in one run: two local Functions hosts and two relay agents on the same Azurite and
// Service Bus emulator, one pair with OpenTelemetry exporting every span, metric and log over OTLP to a receiver in
// this process, the other with no exporter configured (no SDK). Orchestrated pings (POST /api/v1/zones/{zone}/ping →
// orchestration → Service Bus → agent → result → operation succeeded) alternate between the two, so that drift on a
// noisy machine falls on both alike. Prints p50/p99 of each and the ratios, and the spans the receiver took per ping.
// Usage: dotnet run -c Release --project bench/Serverless.Bench.Tracing -- [pings=300]
var pings = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
const string Queue = "commands-default";
const string AgentKey = "bench-agent-key";

await using var receiver = OtlpReceiver.Start();
await using var emulator = await ServiceBusEmulatorProcess.StartAsync(TenantQueueConfig.Json(Queue, "agents", AgentKey, lockDurationSeconds: 30));
await using var azurite = await AzuriteProcess.StartAsync();
var agentConnection = emulator.ConnectionStringFor("agents", AgentKey, Queue);

await using var off = await SystemAsync("untraced", new Dictionary<string, string>());
await using var on = await SystemAsync("traced", receiver.Environment("bench-control-plane"), receiver.Environment("bench-relay-agent"));

var timings = new Dictionary<string, List<double>> { ["untraced"] = [], ["traced"] = [] };
for (var i = -10; i < pings; i++)
{
    // Alternate which goes first, so neither always runs right after the other.
    foreach (var system in i % 2 == 0 ? new[] { off, on } : [on, off])
    {
        var elapsed = await PingAsync(system);
        if (i >= 0)
        {
            timings[system.Zone].Add(elapsed);
        }
    }
}

await Task.Delay(TimeSpan.FromSeconds(2));
var untraced = Percentiles(timings["untraced"]);
var traced = Percentiles(timings["traced"]);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"orchestrated ping round trip, {pings} each, interleaved:"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  tracing off: p50 {untraced.P50:0.0} ms, p99 {untraced.P99:0.0} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  tracing on:  p50 {traced.P50:0.0} ms, p99 {traced.P99:0.0} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  on/off: p50 {traced.P50 / untraced.P50:0.00}x, p99 {traced.P99 / untraced.P99:0.00}x (target: at most 1.10x)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  exported: {receiver.Spans.Count} spans ({(double)receiver.Spans.Count / (pings + 10):0.0} per ping), {receiver.Logs.Count} log records"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  RSS after the run: local host off {ProcessStat.MemoryMiB(off.Host.ProcessId):0} MB / on {ProcessStat.MemoryMiB(on.Host.ProcessId):0} MB; agent off {ProcessStat.MemoryMiB(off.Agent.ProcessId):0} MB / on {ProcessStat.MemoryMiB(on.Agent.ProcessId):0} MB"));

async Task<BenchSystem> SystemAsync(string zone, IReadOnlyDictionary<string, string> hostEnvironment, IReadOnlyDictionary<string, string>? agentEnvironment = null)
{
    var host = await LocalHostProcess.StartAsync(azurite, new Dictionary<string, string>(hostEnvironment) { ["ServiceBusConnection"] = emulator.ConnectionString });
    var client = host.CreateClient();
    using var admin = host.CreateClient(LocalHostProcess.MasterKey);
    using (var created = await client.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Json($$"""{"name":"{{zone}}","kind":"client"}""")))
    {
        created.EnsureSuccessStatusCode();
    }

    using var issued = await admin.PostAsync(new Uri("api/v1/agents/credentials", UriKind.Relative), Json($$"""{"agentId":"agent-{{zone}}","agentGroup":"{{zone}}"}"""));
    var credential = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    var agent = await RelayAgentProcess.StartAsync(new RelayAgentSettings(
        $"agent-{zone}", zone, "default", agentConnection, Queue, host.BaseAddress, credential, HeartbeatIntervalSeconds: 3600, Environment: agentEnvironment));
    return new BenchSystem(zone, host, agent, client);
}

static async Task<double> PingAsync(BenchSystem system)
{
    var started = Stopwatch.GetTimestamp();
    using var accepted = await system.Client.PostAsync(new Uri($"api/v1/zones/{system.Zone}/ping", UriKind.Relative), null);
    var operationId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("operationId").GetString()!;
    while (true)
    {
        var operation = await system.Client.GetFromJsonAsync<JsonElement>(new Uri($"api/v1/operations/{operationId}", UriKind.Relative));
        switch (operation.GetProperty("status").GetString())
        {
            case "succeeded":
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            case "failed":
                throw new InvalidOperationException($"ping failed: {operation}");
        }

        await Task.Delay(2);
    }
}

static (double P50, double P99) Percentiles(List<double> timings)
{
    timings.Sort();
    double P(double p) => timings[Math.Min(timings.Count - 1, (int)Math.Ceiling(p * timings.Count) - 1)];
    return (P(0.50), P(0.99));
}

static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

internal sealed record BenchSystem(string Zone, LocalHostProcess Host, RelayAgentProcess Agent, HttpClient Client) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Agent.DisposeAsync();
        await Host.DisposeAsync();
    }
}
