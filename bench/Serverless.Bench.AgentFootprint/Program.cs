using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Serverless.Contracts;
using Serverless.Contracts.Agents;
using Serverless.Contracts.Commands;
using Serverless.Testing;

const string Usage = """
    The relay agent's footprint, its native file (publish.sh) side by side with its JIT build and net-snmp's C tools:
      1. one-shot `relay-agent snmp bulkwalk` of a generated table of ROWS values against `snmpbulkwalk` (both 20
         repetitions per request, same snmpd): CPU-seconds and wall time, medians of ROUNDS runs, alternating;
      2. start-up: from exec to the session taken (the agent's first heartbeat as active) and to the first command
         answered (a ping waiting in the queue, its result posted), ROUNDS starts each;
      3. idle: both builds at once for IDLE seconds, each polling 100 members every 30 s: RSS (now and peak) and CPU;
      4. steady-state polling: 5 subscriptions of 1,000 members x 2 values every second for 30 s each build: OIDs
         read per CPU-second of the whole agent process.
    Every part is real: snmpd, the Service Bus emulator, an uplink in this process standing in for the control plane.
    Needs the Debian packages snmpd, snmp and clang (scripts/bench-agent-footprint.sh installs them).

    Usage: Serverless.Bench.AgentFootprint [ROWS=20000, at least 5000] [ROUNDS=10] [IDLE=300] [--native FILE]
    """;

if (args is ["--help" or "-h"])
{
    Console.WriteLine(Usage);
    return 0;
}

var positional = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var rows = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 20_000;
var rounds = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 10;
var idleSeconds = positional.Length > 2 ? int.Parse(positional[2], CultureInfo.InvariantCulture) : 300;
if (rows < 5000)
{
    // The polling parts read members 1-5,000 from the walked column too.
    Console.Error.WriteLine($"ROWS must be at least 5000, not {rows}.\n\n{Usage}");
    return 2;
}

var nativeIndex = Array.IndexOf(args, "--native");
const string Table = "1.3.6.1.4.1.8072.9999.5";
const string Queue = "commands-default";
const string AgentKey = "bench-agent-key";
const string Tenant = "default";

var scratch = RepositoryPaths.NewScratchFolder("bench-footprint");
try
{
    var native = nativeIndex >= 0 ? Path.GetFullPath(args[nativeIndex + 1]) : await PublishNativeAsync();
    var jit = RepositoryPaths.RelayAgentAssembly;
    Console.WriteLine($"native: {native} ({new FileInfo(native).Length / 1024.0 / 1024:0.0} MB); JIT: dotnet {jit}");

    // Column 1 is walked; column 2 (members 1-5,000) is for the polling parts.
    await using var snmpd = await SnmpdProcess.StartAsync(GaugeTable.Overrides(Table, rows, 5000));
    var address = $"127.0.0.1:{snmpd.EndPoint.Port}";

    // 1. One-shot bulk walk.
    var walkers = new (string Name, string Program, string[] Arguments)[]
    {
        ("snmpbulkwalk (net-snmp)", "snmpbulkwalk", ["-v2c", "-c", SnmpdProcess.ReadCommunity, "-Cr20", "-On", address, $".{Table}.1"]),
        ("relay-agent snmp bulkwalk (native)", native, ["snmp", "bulkwalk", "-c", SnmpdProcess.ReadCommunity, address, $"{Table}.1"]),
        ("relay-agent snmp bulkwalk (JIT)", "dotnet", [jit, "snmp", "bulkwalk", "-c", SnmpdProcess.ReadCommunity, address, $"{Table}.1"]),
    };
    var walks = walkers.ToDictionary(w => w.Name, _ => new List<(double Cpu, double Wall)>());
    for (var round = -1; round < rounds; round++)
    {
        foreach (var (name, program, arguments) in walkers)
        {
            var figures = RunOnce(program, arguments, rows);
            if (round >= 0)
            {
                walks[name].Add(figures);
            }
        }
    }

    Console.WriteLine($"\n1. one-shot bulk walk of {rows} values (medians of {rounds}):");
    var reference = walks[walkers[0].Name];
    foreach (var (name, figures) in walks)
    {
        var cpu = Median(figures.Select(f => f.Cpu));
        var wall = Median(figures.Select(f => f.Wall));
        Console.WriteLine(Invariant($"   {name,-38} CPU {cpu:0.000} s  wall {wall:0.000} s  = {cpu / Median(reference.Select(f => f.Cpu)):0.00}x / {wall / Median(reference.Select(f => f.Wall)):0.00}x net-snmp"));
    }

    // 2-4 need the command channel: the emulator and an uplink standing in for the control plane.
    await using var emulator = await ServiceBusEmulatorProcess.StartAsync(TenantQueueConfig.Json(Queue, "agents", AgentKey, lockDurationSeconds: 30));
    await using var serviceBus = new ServiceBusClient(emulator.ConnectionString);
    await using var sender = serviceBus.CreateSender(Queue);
    var agentConnection = emulator.ConnectionStringFor("agents", AgentKey, Queue);
    await using var uplink = await Uplink.StartAsync();
    var profiles = await GaugeTable.WriteProfileAsync(scratch, Table);
    var agentEnvironment = new Dictionary<string, string>
    {
        ["RelayAgent__Snmp__ProfilesPath"] = profiles,
        ["RelayAgent__Snmp__Credentials__bench__Version"] = "2c",
        ["RelayAgent__Snmp__Credentials__bench__Community"] = SnmpdProcess.ReadCommunity,
    };
    var builds = new (string Name, string? Executable)[] { ("native", native), ("JIT", null) };
    RelayAgentSettings Settings(string id, string? executable, int heartbeatSeconds = 60) => new(
        id, id, Tenant, agentConnection, Queue, uplink.Address, "sa1.0123456789abcdef0123456789abcdef.bench", 2, heartbeatSeconds, agentEnvironment, executable);

    // 2. Start-up.
    var startups = builds.ToDictionary(b => b.Name, _ => new List<(double Session, double FirstCommand)>());
    for (var round = -1; round < rounds; round++)
    {
        foreach (var (name, executable) in builds)
        {
            var id = $"start-{name.ToLowerInvariant()}-{round + 1}";
            var ping = Command(id, CommandKinds.Ping, "{}");
            await sender.SendMessageAsync(Message(ping));
            var started = Stopwatch.GetTimestamp();
            await using var agent = await RelayAgentProcess.StartAsync(Settings(id, executable));
            var session = await Within(uplink.ActiveAt(id), agent, "its session");
            var answered = await Within(uplink.ResultAt(ping.CommandId), agent, "the ping's result");
            if (round >= 0)
            {
                startups[name].Add((Stopwatch.GetElapsedTime(started, session).TotalMilliseconds, Stopwatch.GetElapsedTime(started, answered).TotalMilliseconds));
            }

            await agent.StopAsync(TimeSpan.FromSeconds(20));
        }
    }

    Console.WriteLine($"\n2. start-up, from exec (medians of {rounds}):");
    foreach (var (name, figures) in startups)
    {
        Console.WriteLine(Invariant($"   {name,-7} session taken {Median(figures.Select(f => f.Session)),7:0} ms   first command answered {Median(figures.Select(f => f.FirstCommand)),7:0} ms"));
    }

    // 3. Idle, both builds at once: each holds its session and polls 100 members every 30 s.
    var idle = new List<(string Name, RelayAgentProcess Agent)>();
    try
    {
        foreach (var (name, executable) in builds)
        {
            var id = $"idle-{name.ToLowerInvariant()}";
            var agent = await RelayAgentProcess.StartAsync(Settings(id, executable));
            idle.Add((name, agent));
            var subscribe = Command(id, CommandKinds.SubscribeMetrics, SubscribePayload("idle", 30, 1, 100, address));
            await sender.SendMessageAsync(Message(subscribe));
            await Within(uplink.ResultAt(subscribe.CommandId), agent, "the subscription");
        }

        await Task.Delay(TimeSpan.FromSeconds(10));
        var before = idle.Select(a => (Cpu: ProcessStat.CpuMilliseconds(a.Agent.ProcessId), Samples: uplink.SamplesFrom(a.Agent.Settings.AgentId))).ToList();
        var watch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
        Console.WriteLine(Invariant($"\n3. idle for {watch.Elapsed.TotalSeconds:0} s, holding the session, 100 members (200 values) polled every 30 s:"));
        foreach (var ((name, agent), start) in idle.Zip(before))
        {
            var cpu = ProcessStat.CpuMilliseconds(agent.ProcessId) - start.Cpu;
            Console.WriteLine(Invariant($"   {name,-7} RSS {ProcessStat.MemoryMiB(agent.ProcessId):0.0} MB (peak {ProcessStat.MemoryMiB(agent.ProcessId, "VmHWM"):0.0} MB)  CPU {cpu / watch.Elapsed.TotalMilliseconds * 100:0.000} % of one core  ({uplink.SamplesFrom(agent.Settings.AgentId) - start.Samples} samples posted)"));
        }
    }
    finally
    {
        foreach (var (_, agent) in idle)
        {
            await agent.DisposeAsync();
        }
    }

    // 4. Steady-state polling throughput of the whole process.
    Console.WriteLine("\n4. polling 5 x 1,000 members x 2 values every second, 30 s after a 10 s warm-up:");
    foreach (var (name, executable) in builds)
    {
        var id = $"poll-{name.ToLowerInvariant()}";
        await using var agent = await RelayAgentProcess.StartAsync(Settings(id, executable) with
        {
            Environment = new Dictionary<string, string>(agentEnvironment) { ["RelayAgent__Snmp__MaxOidsPerRequest"] = "48" },
        });
        for (var s = 0; s < 5; s++)
        {
            var subscribe = Command(id, CommandKinds.SubscribeMetrics, SubscribePayload($"poll-{s}", 1, 1 + s * 1000, 1000, address));
            await sender.SendMessageAsync(Message(subscribe));
            await Within(uplink.ResultAt(subscribe.CommandId), agent, "the subscription");
        }

        await Task.Delay(TimeSpan.FromSeconds(10));
        var cpuBefore = ProcessStat.CpuMilliseconds(agent.ProcessId);
        var samplesBefore = uplink.SamplesFrom(id);
        var watch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(30));
        var cpu = (ProcessStat.CpuMilliseconds(agent.ProcessId) - cpuBefore) / 1000;
        var samples = uplink.SamplesFrom(id) - samplesBefore;
        Console.WriteLine(Invariant($"   {name,-7} {samples} values in {watch.Elapsed.TotalSeconds:0.0} s, CPU {cpu:0.00} s = {samples / cpu:0} OIDs per CPU-second (RSS {ProcessStat.MemoryMiB(agent.ProcessId):0} MB)"));
    }

    return 0;
}
finally
{
    RepositoryPaths.DeleteScratchFolder(scratch);
}

async Task<string> PublishNativeAsync()
{
    var folder = Path.Combine(scratch, "release");
    await using var publish = ChildProcess.Start("bash", [Path.Combine(RepositoryPaths.Root, "relay-agent", "packaging", "publish.sh"), "linux-x64", folder], new Dictionary<string, string?>(), RepositoryPaths.Root);
    if (!await publish.WaitForExitAsync(TimeSpan.FromMinutes(10)) || publish.ExitCode != 0)
    {
        throw new InvalidOperationException($"publish.sh failed:\n{publish.Output}");
    }

    return Path.Combine(folder, "relay-agent");
}

// CPU of a reaped child (its rusage lands in our cutime/cstime once waited for) and wall time, in seconds.
static (double Cpu, double Wall) RunOnce(string program, string[] arguments, int expectedLines)
{
    var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    start.Environment["MIBS"] = string.Empty;
    var cpuBefore = ProcessStat.ReapedChildrenCpuMilliseconds();
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    var error = process.StandardError.ReadToEndAsync();
    var lines = 0;
    while (process.StandardOutput.ReadLine() is not null)
    {
        lines++;
    }

    process.WaitForExit();
    var wall = watch.Elapsed.TotalSeconds;
    if (process.ExitCode != 0 || lines < expectedLines)
    {
        throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: exit {process.ExitCode}, {lines} lines: {error.Result}");
    }

    return ((ProcessStat.ReapedChildrenCpuMilliseconds() - cpuBefore) / 1000, wall);
}

static async Task<long> Within(Task<long> arrival, RelayAgentProcess agent, string what)
{
    try
    {
        return await arrival.WaitAsync(TimeSpan.FromSeconds(60));
    }
    catch (TimeoutException)
    {
        throw new TimeoutException($"agent {agent.Settings.AgentId}: no sign of {what} within 60 s:\n{agent.Output}");
    }
}

static string SubscribePayload(string id, int intervalSeconds, int firstMember, int members, string address)
{
    var targets = string.Join(",", Enumerable.Range(firstMember, members).Select(i =>
        $$$"""{"resourceId":"m{{{i}}}","snmp":{"device":{"address":"{{{address}}}","credential":"bench"},"profile":"{{{GaugeTable.Profile}}}","index":"{{{i}}}"}}"""));
    return $$"""{"subscriptionId":"{{id}}","intervalSeconds":{{intervalSeconds}},"leaseSeconds":86400,"targets":[{{targets}}]}""";
}

static CommandEnvelope Command(string group, string kind, string payload)
{
    var now = DateTimeOffset.UtcNow;
    var id = Guid.NewGuid().ToString("N");
    return new CommandEnvelope(SchemaVersions.Current, id, Tenant, group, kind, JsonDocument.Parse(payload).RootElement,
        now, now.AddMinutes(5), id, new CommandCorrelation(null, null), null);
}

static ServiceBusMessage Message(CommandEnvelope command) =>
    new(JsonSerializer.SerializeToUtf8Bytes(command, ContractsJsonContext.Default.CommandEnvelope)) { MessageId = command.CommandId, SessionId = command.AgentGroup };

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

/// <summary>The control plane's agent uplink, as far as the bench needs it: when results and active heartbeats arrive, and how many samples.</summary>
internal sealed class Uplink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _results = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _active = new();
    private readonly ConcurrentDictionary<string, long> _samples = new();

    private Uplink(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public Task<long> ResultAt(string commandId) => Signal(_results, commandId).Task;

    public Task<long> ActiveAt(string agentId) => Signal(_active, agentId).Task;

    public long SamplesFrom(string agentId) => _samples.GetValueOrDefault(agentId);

    public static async Task<Uplink> StartAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var uplink = new Uplink(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/api/v1/agent/results", async (HttpRequest request) =>
        {
            var result = await JsonSerializer.DeserializeAsync(request.Body, ContractsJsonContext.Default.CommandResult);
            Signal(uplink._results, result!.CommandId).TrySetResult(Stopwatch.GetTimestamp());
            return Results.Ok();
        });
        app.MapPost("/api/v1/agent/heartbeats", async (HttpRequest request) =>
        {
            var heartbeat = await JsonSerializer.DeserializeAsync(request.Body, ContractsJsonContext.Default.AgentHeartbeat);
            if (heartbeat!.Role == AgentRole.Active)
            {
                Signal(uplink._active, heartbeat.AgentId).TrySetResult(Stopwatch.GetTimestamp());
            }

            return Results.Ok();
        });
        app.MapPost("/api/v1/agent/metrics", async (HttpRequest request) =>
        {
            var batch = await JsonSerializer.DeserializeAsync(request.Body, ContractsJsonContext.Default.MetricBatch);
            uplink._samples.AddOrUpdate(batch!.AgentId, batch.Samples.Count, (_, total) => total + batch.Samples.Count);
            return Results.Ok();
        });
        await app.StartAsync();
        return uplink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static TaskCompletionSource<long> Signal(ConcurrentDictionary<string, TaskCompletionSource<long>> signals, string key) =>
        signals.GetOrAdd(key, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
}
