using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Agents;
using Serverless.Testing;

// The agents' uplink under load: the local host on Azurite and the Service Bus emulator, and synthetic agents (no
// devices) that each post a metric batch of ten pool members' readings every second and a heartbeat every five, each
// with its own credential, as real agents do. The number of agents doubles each step; each step runs for a fixed time
// and prints the offered and achieved request rates, the latency percentiles and how late the agents fell behind their
// schedule. A step whose agents fall more than a second behind (p99), whose requests take more than a second (p99) or
// that sees errors is where the local host saturates.
// Usage: dotnet run -c Release --project bench/Serverless.Bench.UplinkLoad -- [seconds per step=15] [first=25] [steps=6]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
var first = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 25;
var steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 6;
const string Queue = "commands-default";
const int Groups = 10;

await using var emulator = await ServiceBusEmulatorProcess.StartAsync(TenantQueueConfig.Json(Queue, "agents", "bench-agent-key", lockDurationSeconds: 30));
await using var azurite = await AzuriteProcess.StartAsync();
await using var host = await LocalHostProcess.StartAsync(azurite, new Dictionary<string, string> { ["ServiceBusConnection"] = emulator.ConnectionString });
using var admin = host.CreateClient(LocalHostProcess.MasterKey);
using var tenant = host.CreateClient();
for (var g = 0; g < Groups; g++)
{
    using var zone = await tenant.PostAsJsonAsync("api/v1/zones", new { name = $"load-{g}", kind = "client" });
    zone.EnsureSuccessStatusCode();
}

var agents = new List<SyntheticAgent>();
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
Console.WriteLine("agents   offered req/s   achieved req/s   p50 ms   p99 ms   lag p99 ms   errors   verdict");
for (var step = 0; step < steps; step++)
{
    var count = first << step;
    while (agents.Count < count)
    {
        var id = $"load-agent-{agents.Count:D5}";
        var group = $"load-{agents.Count % Groups}";
        using var issued = await admin.PostAsJsonAsync("api/v1/agents/credentials", new { agentId = id, agentGroup = group });
        issued.EnsureSuccessStatusCode();
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        agents.Add(new SyntheticAgent(id, group, token));
    }

    var figures = await RunStepAsync(http, agents, TimeSpan.FromSeconds(seconds));
    var offered = count * (1 + (1 / 5.0));
    var saturated = figures.LagP99 > 1000 || figures.P99 > 1000 || figures.Errors > 0;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{count,6} {offered,15:0} {figures.Achieved,16:0} {figures.P50,8:0} {figures.P99,8:0} {figures.LagP99,10:0} {figures.Errors,8}   {(saturated ? "saturated" : "keeps up")}"));
    if (saturated)
    {
        break;
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Azure at 10,000 agents (metrics every 10 s, heartbeats every 60 s) offers {10_000 / 10.0 + (10_000 / 60.0):0} req/s: compare with the last step that kept up."));

static async Task<StepFigures> RunStepAsync(HttpClient http, IReadOnlyList<SyntheticAgent> agents, TimeSpan duration)
{
    var latencies = new List<double>();
    var lags = new List<double>();
    var errors = 0;
    var started = Stopwatch.StartNew();
    await Task.WhenAll(agents.Select(async (agent, index) =>
    {
        // Agents start spread over the first second, as real ones are spread over their interval.
        await Task.Delay(TimeSpan.FromMilliseconds(1000.0 * index / agents.Count));
        for (var tick = 0; started.Elapsed < duration; tick++)
        {
            var next = TimeSpan.FromMilliseconds((1000.0 * index / agents.Count) + (1000.0 * (tick + 1)));
            var requests = tick % 5 == 0 ? new[] { agent.Metrics(), agent.Heartbeat() } : [agent.Metrics()];
            foreach (var request in requests)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    using var response = await http.SendAsync(request);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }

                lock (latencies)
                {
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            var now = started.Elapsed;
            lock (lags)
            {
                lags.Add(Math.Max(0, (now - next).TotalMilliseconds));
            }

            if (next > now)
            {
                await Task.Delay(next - now);
            }
        }
    }));
    var elapsed = started.Elapsed.TotalSeconds;
    latencies.Sort();
    lags.Sort();
    return new StepFigures(
        (latencies.Count - errors) / elapsed, latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)], lags[(int)(lags.Count * 0.99)], errors);
}

internal sealed record StepFigures(double Achieved, double P50, double P99, double LagP99, int Errors);

/// <summary>An agent without devices: it posts what a real one would, with its own credential.</summary>
internal sealed class SyntheticAgent(string id, string group, string token)
{
    private const int Members = 10;

    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;

    public HttpRequestMessage Metrics()
    {
        var now = DateTimeOffset.UtcNow;
        var samples = Enumerable.Range(0, Members).Select(m => new MetricSample($"pool-{id}.m-{m}", "connections.active", 50 + m, now)).ToList();
        return Post("api/v1/agent/metrics", JsonContent.Create(new MetricBatch(SchemaVersions.Current, Guid.NewGuid().ToString("N"), id, group, samples), ContractsJsonContext.Default.MetricBatch));
    }

    public HttpRequestMessage Heartbeat() => Post("api/v1/agent/heartbeats", JsonContent.Create(
        new AgentHeartbeat(SchemaVersions.Current, id, group, DateTimeOffset.UtcNow, "bench", "bench", _startedAt, AgentRole.Active, 0, null),
        ContractsJsonContext.Default.AgentHeartbeat));

    private HttpRequestMessage Post(string path, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
