using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Testing;

// Load harness for the command channel, every part real and in its own process: the Service Bus emulator, the relay
// agent, and (for the orchestrated path) Azurite and the local Functions host. Prints:
//   1. direct round trip: send to the queue → agent executes agent.ping → agent posts the result over HTTP (p50/p99);
//   2. orchestrated round trip: POST /api/v1/zones/{zone}/ping → orchestration → Service Bus → agent → result →
//      orchestration completes, observed by polling the operation (p50/p99);
//   3. emulator throughput with the official client and sessions on (messages per second, send and receive);
//   4. the agent's idle memory and CPU.
// Usage: dotnet run -c Release --project bench/Serverless.Bench.CommandChannel -- [direct=1000] [orchestrated=1000]
var directCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var orchestratedCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
const string Queue = "commands-default";
const string AgentKey = "bench-agent-key";
var config = TenantQueueConfig.Json(
    Queue, "agents", AgentKey, lockDurationSeconds: 30,
    """{ "Name": "throughput", "Properties": { "RequiresSession": true, "LockDuration": "PT30S", "MaxSizeInMegabytes": 512 } }""");

await using var emulator = await ServiceBusEmulatorProcess.StartAsync(config);
await using var serviceBus = new ServiceBusClient(emulator.ConnectionString);
var agentConnection = emulator.ConnectionStringFor("agents", AgentKey, Queue);

// 1. Direct path: the harness is the control plane's uplink.
if (directCount > 0)
{
    var arrivals = new ConcurrentDictionary<string, TaskCompletionSource<long>>();
    await using var uplink = await StartUplinkAsync(arrivals);
    await using var agent = await RelayAgentProcess.StartAsync(new RelayAgentSettings(
        "bench-direct", "direct", "default", agentConnection, Queue, uplink.Address, "sa1.0123456789abcdef0123456789abcdef.bench", HeartbeatIntervalSeconds: 3600));
    await using var sender = serviceBus.CreateSender(Queue);
    var timings = new List<double>();
    for (var i = -20; i < directCount; i++)
    {
        var command = Command("direct", Guid.NewGuid().ToString("N"));
        var arrived = arrivals.GetOrAdd(command.CommandId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        var started = Stopwatch.GetTimestamp();
        await sender.SendMessageAsync(new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(command, ContractsJsonContext.Default.CommandEnvelope))
        {
            MessageId = command.CommandId,
            SessionId = "direct",
        });
        var end = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (i >= 0)
        {
            timings.Add(Stopwatch.GetElapsedTime(started, end).TotalMilliseconds);
        }
    }

    Print($"direct round trip ({directCount} commands)", timings);
}

// 2. Orchestrated path through the local Functions host.
if (orchestratedCount > 0)
{
    await using var azurite = await AzuriteProcess.StartAsync();
    await using var host = await LocalHostProcess.StartAsync(azurite, new Dictionary<string, string> { ["ServiceBusConnection"] = emulator.ConnectionString });
    using var client = host.CreateClient();
    using var admin = host.CreateClient(LocalHostProcess.MasterKey);
    using var zone = await client.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Json("""{"name":"bench-zone","kind":"client"}"""));
    using var issued = await admin.PostAsync(new Uri("api/v1/agents/credentials", UriKind.Relative), Json("""{"agentId":"bench-agent","agentGroup":"bench-zone"}"""));
    var credential = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    await using var agent = await RelayAgentProcess.StartAsync(new RelayAgentSettings(
        "bench-agent", "bench-zone", "default", agentConnection, Queue, host.BaseAddress, credential, HeartbeatIntervalSeconds: 3600));
    var timings = new List<double>();
    for (var i = -10; i < orchestratedCount; i++)
    {
        var started = Stopwatch.GetTimestamp();
        using var accepted = await client.PostAsync(new Uri("api/v1/zones/bench-zone/ping", UriKind.Relative), null);
        var operationId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("operationId").GetString()!;
        while (true)
        {
            var operation = await client.GetFromJsonAsync<JsonElement>(new Uri($"api/v1/operations/{operationId}", UriKind.Relative));
            var status = operation.GetProperty("status").GetString();
            if (status == "succeeded")
            {
                break;
            }

            if (status == "failed")
            {
                throw new InvalidOperationException($"ping failed: {operation}");
            }

            await Task.Delay(2);
        }

        if (i >= 0)
        {
            timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    Print($"orchestrated round trip ({orchestratedCount} pings)", timings);
}

// 3. Emulator throughput, sessions on: 8 sessions, batches of 100, a session processor with 8 concurrent sessions.
if (args.Length < 3 || args[2] != "--latency-only")
{
    const int sessions = 8;
    const int perSession = 5000;
    await using var sender = serviceBus.CreateSender("throughput");
    var body = new byte[256];
    var sendWatch = Stopwatch.StartNew();
    for (var n = 0; n < perSession; n += 100)
    {
        for (var s = 0; s < sessions; s++)
        {
            await sender.SendMessagesAsync(Enumerable.Range(0, 100).Select(_ => new ServiceBusMessage(body) { SessionId = $"s{s}" }));
        }
    }

    var sendRate = sessions * perSession / sendWatch.Elapsed.TotalSeconds;
    var received = 0;
    var done = new TaskCompletionSource();
    await using var processor = serviceBus.CreateSessionProcessor("throughput", new ServiceBusSessionProcessorOptions
    {
        MaxConcurrentSessions = sessions,
        PrefetchCount = 100,
        AutoCompleteMessages = true,
    });
    processor.ProcessMessageAsync += _ =>
    {
        if (Interlocked.Increment(ref received) == sessions * perSession)
        {
            done.TrySetResult();
        }

        return Task.CompletedTask;
    };
    processor.ProcessErrorAsync += e => Task.CompletedTask;
    var receiveWatch = Stopwatch.StartNew();
    await processor.StartProcessingAsync();
    await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
    var receiveRate = sessions * perSession / receiveWatch.Elapsed.TotalSeconds;
    await processor.StopProcessingAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"emulator throughput, {sessions} sessions x {perSession} messages of 256 B: send {sendRate:0} msg/s (batches of 100), receive+complete {receiveRate:0} msg/s (session processor, prefetch 100)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"emulator RSS after the run: {ProcessStat.MemoryMiB(emulator.ProcessId):0} MB"));
}

// 4. Agent idle cost: 30 s holding its session with nothing to do.
if (args.Length < 3 || args[2] != "--latency-only")
{
    await using var uplink = await StartUplinkAsync(new ConcurrentDictionary<string, TaskCompletionSource<long>>());
    await using var agent = await RelayAgentProcess.StartAsync(new RelayAgentSettings(
        "bench-idle", "idle", "default", agentConnection, Queue, uplink.Address, "sa1.0123456789abcdef0123456789abcdef.bench"));
    await Task.Delay(TimeSpan.FromSeconds(5));
    var cpuBefore = ProcessStat.CpuMilliseconds(agent.ProcessId);
    var watch = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(30));
    var cpuMs = ProcessStat.CpuMilliseconds(agent.ProcessId) - cpuBefore;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"agent idle: RSS {ProcessStat.MemoryMiB(agent.ProcessId):0} MB, CPU {cpuMs / watch.Elapsed.TotalMilliseconds * 100:0.00} % of one core over {watch.Elapsed.TotalSeconds:0} s"));
}

static CommandEnvelope Command(string group, string id)
{
    var now = DateTimeOffset.UtcNow;
    return new CommandEnvelope(SchemaVersions.Current, id, "default", group, CommandKinds.Ping, JsonDocument.Parse("{}").RootElement,
        now, now.AddMinutes(1), id, new CommandCorrelation(null, null), null);
}

static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

static void Print(string what, List<double> timings)
{
    timings.Sort();
    double P(double p) => timings[Math.Min(timings.Count - 1, (int)Math.Ceiling(p * timings.Count) - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: p50 {P(0.50):0.0} ms, p99 {P(0.99):0.0} ms, max {timings[^1]:0.0} ms"));
}

static async Task<Uplink> StartUplinkAsync(ConcurrentDictionary<string, TaskCompletionSource<long>> arrivals)
{
    var port = FreePorts.Next();
    var builder = WebApplication.CreateSlimBuilder();
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
    builder.Logging.ClearProviders();
    var app = builder.Build();
    app.MapPost("/api/v1/agent/results", async (HttpRequest request) =>
    {
        var result = await JsonSerializer.DeserializeAsync(request.Body, ContractsJsonContext.Default.CommandResult);
        arrivals.GetOrAdd(result!.CommandId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(Stopwatch.GetTimestamp());
        return Results.Ok();
    });
    app.MapPost("/api/v1/agent/heartbeats", () => Results.Ok());
    await app.StartAsync();
    return new Uplink(app, new Uri($"http://127.0.0.1:{port}/"));
}

internal sealed record Uplink(WebApplication App, Uri Address) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
