using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Snmp;
using Serverless.Snmp;
using Serverless.Testing;

const string Usage = """
    Polling throughput: the relay agent's metrics.poll against net-snmp's snmpget and snmpbulkget and the Prometheus
    SNMP exporter, all reading the same MEMBERS x 2 values from one snmpd, in OIDs per CPU-second of the poller.
    Needs the Debian packages snmpd, snmp and prometheus-snmp-exporter (scripts/bench-snmp-polling.sh installs them).

    Usage: Serverless.Bench.SnmpPolling [MEMBERS] [POLLS]     (defaults 250 and 200)
    """;

if (args is ["--help" or "-h"])
{
    Console.WriteLine(Usage);
    return 0;
}

var members = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 250;
var polls = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
const string Column = "1.3.6.1.4.1.8072.9999.2";
const int OidsPerRequest = 48;
var oidsPerPoll = members * 2;

await using var snmpd = await SnmpdProcess.StartAsync(GaugeTable.Overrides(Column, members, members));
var address = $"127.0.0.1:{snmpd.EndPoint.Port}";
var scratch = RepositoryPaths.NewScratchFolder("bench-polling");
try
{
    var results = await MeasureAgentAsync();
    var ourCount = results.Count;
    results.AddRange(
    [
        Measure("snmpget (48 OIDs per request)", Math.Max(1, polls / 10), () => SnmpGetPoll()),
        Measure("snmpbulkget (one request)", Math.Max(1, polls / 4), () => RunTool("snmpbulkget", ["-Cn0", $"-Cr{members}", $".{Column}.1", $".{Column}.2"])),
    ]);
    if (await MeasureExporterAsync() is { } exporter)
    {
        results.Add(exporter);
    }

    Console.WriteLine($"\n{members} members x 2 metrics = {oidsPerPoll} OIDs per poll from snmpd {address}; CPU of the poller only\n");
    Console.WriteLine($"{"poller",-40} {"OIDs",10} {"CPU s",8} {"wall s",8} {"OIDs/CPU-s",12} {"ms/poll",9}");
    foreach (var (poller, oids, cpu, wall) in results)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{poller,-40} {oids,10} {cpu.TotalSeconds,8:0.000} {wall.TotalSeconds,8:0.000} {oids / cpu.TotalSeconds,12:0} {wall.TotalMilliseconds / (oids / (double)oidsPerPoll),9:0.00}"));
    }

    var best = results.Skip(ourCount).MaxBy(r => r.Oids / r.Cpu.TotalSeconds);
    Console.WriteLine();
    foreach (var ours in results.Take(ourCount))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio: {ours.Poller} does {ours.Oids / ours.Cpu.TotalSeconds / (best.Oids / best.Cpu.TotalSeconds):0.00}x the OIDs per CPU-second of the best other poller ({best.Poller})"));
    }
    return 0;
}
finally
{
    RepositoryPaths.DeleteScratchFolder(scratch);
}

async Task<List<(string Poller, long Oids, TimeSpan Cpu, TimeSpan Wall)>> MeasureAgentAsync()
{
    var profiles = await GaugeTable.WriteProfileAsync(scratch, Column);
    var options = Options.Create(new SnmpAgentOptions
    {
        ProfilesPath = profiles,
        MaxOidsPerRequest = OidsPerRequest,
        Credentials = new(StringComparer.OrdinalIgnoreCase) { ["bench"] = new SnmpCredentialOptions { Version = "2c", Community = SnmpdProcess.ReadCommunity } },
    });
    await using var client = new SnmpClient(new SnmpClientOptions(TimeSpan.FromSeconds(2), 1));
    var poller = new MetricsPoller(client, new SnmpDevices(options), new DeviceProfileCatalog(options), options, TimeProvider.System);
    using var noHosts = new LibvirtHosts(Options.Create(new LibvirtAgentOptions()));
    var handler = new MetricsPollHandler(new MemberMetrics(poller, new InstanceMetrics(noHosts, TimeProvider.System)), NullLogger<MetricsPollHandler>.Instance);
    var targets = string.Join(",", Enumerable.Range(1, members).Select(i =>
        $$$"""{"resourceId":"m{{{i}}}","snmp":{"device":{"address":"{{{address}}}","credential":"bench"},"profile":"{{{GaugeTable.Profile}}}","index":"{{{i}}}"}}"""));
    var command = new CommandEnvelope(SchemaVersions.Current, "bench", "bench", "bench", CommandKinds.PollMetrics,
        JsonDocument.Parse($$"""{"targets":[{{targets}}]}""").RootElement, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1), "bench", new CommandCorrelation(null, null), null);
    var plan = poller.Prepare(command.Payload.Deserialize(ContractsJsonContext.Default.MetricsPollPayload)!.Targets);

    // The steady state: a plan prepared once, polled again and again, each poll's samples serialized for the uplink.
    async Task<int> PollPreparedAsync()
    {
        var output = await poller.PollAsync(plan, CancellationToken.None);
        JsonSerializer.SerializeToUtf8Bytes(output, ContractsJsonContext.Default.MetricsPollOutput);
        return output.Failures.Count == 0 ? output.Samples.Count : throw new InvalidOperationException(output.Failures[0].Message);
    }

    // One metrics.poll command: its payload parsed and checked, then polled, its output serialized.
    async Task<int> PollCommandAsync()
    {
        var output = await handler.ExecuteAsync(command, CancellationToken.None);
        return output.GetProperty("failures").GetArrayLength() == 0 ? output.GetProperty("samples").GetArrayLength() : throw new InvalidOperationException(output.ToString());
    }

    var results = new List<(string, long, TimeSpan, TimeSpan)>();
    foreach (var (name, poll) in new (string, Func<Task<int>>)[] { ("relay agent MetricsPoller (48 OIDs per GET)", PollPreparedAsync), ("relay agent metrics.poll command", PollCommandAsync) })
    {
        // Tiered compilation and PGO settle after a few seconds of the same work; measuring before that measures the JIT.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(5))
        {
            await poll();
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        long oids = 0;
        for (var i = 0; i < polls; i++)
        {
            oids += await poll();
        }

        results.Add((name, oids, Process.GetCurrentProcess().TotalProcessorTime - cpu, wall.Elapsed));
    }

    return results;
}

(string, long, TimeSpan, TimeSpan) Measure(string poller, int rounds, Func<long> poll)
{
    poll();
    var cpu = TimeSpan.FromMilliseconds(ProcessStat.ReapedChildrenCpuMilliseconds());
    var wall = Stopwatch.StartNew();
    long oids = 0;
    for (var i = 0; i < rounds; i++)
    {
        oids += poll();
    }

    return (poller, oids, TimeSpan.FromMilliseconds(ProcessStat.ReapedChildrenCpuMilliseconds()) - cpu, wall.Elapsed);
}

long SnmpGetPoll()
{
    var all = Enumerable.Range(1, members).SelectMany(i => new[] { $".{Column}.1.{i}", $".{Column}.2.{i}" }).ToList();
    return all.Chunk(OidsPerRequest).Sum(chunk => RunTool("snmpget", chunk));
}

long RunTool(string tool, IEnumerable<string> oids)
{
    var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in new[] { "-v2c", "-c", SnmpdProcess.ReadCommunity, "-On", "-r", "1", "-t", "2", address }.Concat(oids))
    {
        start.ArgumentList.Add(argument);
    }

    start.Environment["MIBS"] = string.Empty;
    using var process = Process.Start(start)!;
    var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    process.WaitForExit();
    return process.ExitCode == 0 ? lines.Count(l => l.StartsWith($".{Column}.", StringComparison.Ordinal)) : throw new InvalidOperationException($"{tool}: {process.StandardError.ReadToEnd()}");
}

async Task<(string, long, TimeSpan, TimeSpan)?> MeasureExporterAsync()
{
    var exporterPath = new[] { "/usr/bin/prometheus-snmp-exporter", "/usr/local/bin/snmp_exporter" }.FirstOrDefault(File.Exists);
    if (exporterPath is null)
    {
        Console.WriteLine("prometheus-snmp-exporter is not installed: skipped");
        return null;
    }

    var config = Path.Combine(scratch, "snmp.yml");
    await File.WriteAllTextAsync(config, $"""
        bench:
          version: 2
          auth:
            community: {SnmpdProcess.ReadCommunity}
          max_repetitions: {OidsPerRequest}
          retries: 1
          timeout: 2s
          walk:
            - {Column}.1
            - {Column}.2
          metrics:
            - name: benchConnections
              oid: {Column}.1
              type: gauge
              indexes:
                - labelname: member
                  type: gauge
            - name: benchCpu
              oid: {Column}.2
              type: gauge
              indexes:
                - labelname: member
                  type: gauge
        """);
    var port = FreePorts.Next();
    await using var exporter = ChildProcess.Start(exporterPath, [$"--config.file={config}", $"--web.listen-address=127.0.0.1:{port}"], new Dictionary<string, string?>(), scratch);
    await FreePorts.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(20), () => !exporter.HasExited);
    using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    var url = $"snmp?module=bench&target={address}";

    async Task<long> ScrapeAsync()
    {
        var body = await http.GetStringAsync(url);
        return body.Split('\n').Count(l => l.StartsWith("benchConnections{", StringComparison.Ordinal) || l.StartsWith("benchCpu{", StringComparison.Ordinal));
    }

    var warmUp = Stopwatch.StartNew();
    while (warmUp.Elapsed < TimeSpan.FromSeconds(5))
    {
        await ScrapeAsync();
    }

    var cpu = TimeSpan.FromMilliseconds(ProcessStat.CpuMilliseconds(exporter.Id));
    var wall = Stopwatch.StartNew();
    long oids = 0;
    for (var i = 0; i < polls; i++)
    {
        oids += await ScrapeAsync();
    }

    return ("prometheus-snmp-exporter (walk, 48 reps)", oids, TimeSpan.FromMilliseconds(ProcessStat.CpuMilliseconds(exporter.Id)) - cpu, wall.Elapsed);
}
