using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless.Bench.PoolEvaluation;
using Serverless.Contracts;
using Serverless.Contracts.Agents;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Zones;
using Serverless.Functions.Storage;
using Serverless.Testing;

// Usage: Serverless.Bench.PoolEvaluation [POOLS] [MEMBERS_PER_POOL] [PARTITIONS]
// Seeds Azurite with POOLS pools (members on one appliance in a client zone and one host in a provider zone, half of
// them active with 13 readings each, loads spread so that some pools scale out, some in, most hold), then runs five
// ticks of the evaluator over all of them, split into PARTITIONS (default 1) evaluated at once as the tick's activities
// would be (here all in one process on this machine's cores), and prints each tick's wall time and, for the first,
// where the time went, store call by store call (times summed over the evaluator's parallel work).
var poolCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var perPool = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var partitions = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
const string Tenant = "bench";

await using var azurite = await AzuriteProcess.StartAsync();
var tables = new TableProvider(new TableServiceClient(azurite.ConnectionString));
var poolStore = new TablePoolStore(tables);
var metricStore = new TableMetricWindowStore(tables);
var resourceStore = new TableResourceStore(tables);
var zoneStore = new TableZoneStore(tables);
var groupStore = new TableAgentGroupStore(tables);
var telemetry = new TableAgentTelemetryStore(tables);
// One instant for seeding and every tick: the readings stay current however long seeding takes.
var now = TimeProvider.System.GetUtcNow();
var clock = new FixedClock(now);

var seeding = Stopwatch.StartNew();
await zoneStore.TryAddAsync(new Zone(Tenant, "dc-1", ZoneKind.Client, null, now), CancellationToken.None);
await zoneStore.TryAddAsync(new Zone(Tenant, "cloud-1", ZoneKind.Provider, null, now), CancellationToken.None);
await groupStore.UpsertAsync(new AgentGroupConnectivity(Tenant, "dc-1", AgentGroupStatus.Connected, now, now), CancellationToken.None);
await groupStore.UpsertAsync(new AgentGroupConnectivity(Tenant, "cloud-1", AgentGroupStatus.Connected, now, now), CancellationToken.None);
await resourceStore.UpsertAsync(new ResourceRegistration(Tenant, "lb-1", "dc-1", ResourceKind.SnmpAppliance, "10.0.0.5:161", "simulated-load-balancer", [],
    RegistrationState.Registered, [], new Dictionary<string, string>(), "op", now, now, "lb"), CancellationToken.None);
await resourceStore.UpsertAsync(new ResourceRegistration(Tenant, "kvm-1", "cloud-1", ResourceKind.VirtualizationHost, "qemu:///system", null, [],
    RegistrationState.Registered, [], new Dictionary<string, string>(), "op", now, now), CancellationToken.None);

var random = new Random(42);
var levels = Enumerable.Range(0, poolCount).Select(_ => random.Next(0, 160)).ToArray();
await Parallel.ForEachAsync(Enumerable.Range(0, poolCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (p, token) =>
{
    var poolId = $"pool-{p:D5}";
    var members = Enumerable.Range(0, perPool).Select(m => m < perPool - 2
        ? new PoolMember($"m-{m}", "lb-1", "dc-1", (m + 1).ToString(CultureInfo.InvariantCulture), null)
        : new PoolMember($"m-{m}", "kvm-1", "cloud-1", null, $"vm-{p}-{m}")).ToList();
    var policy = new PoolPolicy("connections.active", 100, 60, 40, 120, 90, 2, perPool, 1, MemberPreference.ClientFirst);
    await poolStore.TryAddAsync(new PoolDefinition(Tenant, poolId, ServiceKind.LoadBalancer, members, policy, now.AddHours(-1), now.AddHours(-1)), token);
    var samples = new List<MetricSample>();
    for (var m = 0; m < perPool / 2; m++)
    {
        await poolStore.TrySetMemberStatusAsync(new PoolMemberStatus(Tenant, poolId, $"m-{m}", MemberState.Active, now.AddHours(-1)), null, token);
        for (var r = 0; r < 13; r++)
        {
            samples.Add(new MetricSample(PoolCommandCorrelation.MemberKey(poolId, $"m-{m}"), "connections.active", levels[p] + r % 3, now.AddSeconds(-10 * (12 - r))));
        }
    }

    foreach (var chunk in samples.Chunk(MetricBatch.MaxSamples))
    {
        await telemetry.RecordMetricsAsync(
            Tenant, new MetricBatch(SchemaVersions.Current, Guid.NewGuid().ToString("N"), "agent", "dc-1", chunk), new Dictionary<string, PoolWindowRing> { [poolId] = PoolWindowRing.For(policy) }, token);
    }
});
Console.WriteLine($"seeded {poolCount} pools × {perPool} members ({poolCount * perPool / 2 * 13} readings) in {seeding.Elapsed.TotalSeconds:0.0} s");

var timings = new Timings();
var timed = new TimedStores(poolStore, metricStore, resourceStore, zoneStore, groupStore, timings);
var connectivity = new ConnectivityService(telemetry, timed, Options.Create(new ConnectivityOptions()), clock);
var dispatcher = new CountingDispatcher();
var commands = new CommandService(dispatcher, dispatcher, dispatcher, connectivity, Options.Create(new CommandChannelOptions()));
var evaluator = new PoolEvaluationService(poolStore, timed, timed, new TableInstanceStore(tables), timed, connectivity, commands, clock);

Console.WriteLine($"{partitions} partition(s) evaluated at once");
Console.WriteLine($"tick   wall ms   pools acting   commands   ms per pool   ms per member");
for (var tick = 1; tick <= 5; tick++)
{
    timings.Reset();
    var sent = dispatcher.Sent;
    var watch = Stopwatch.StartNew();
    var acted = (await Task.WhenAll(Enumerable.Range(0, partitions).Select(p => evaluator.EvaluatePartitionAsync(p, partitions, CancellationToken.None)))).SelectMany(a => a).ToList();
    var wall = watch.Elapsed.TotalMilliseconds;
    Console.WriteLine($"{tick,4} {wall,9:0} {acted.Count,14} {dispatcher.Sent - sent,10} {wall / poolCount,13:0.00} {wall / (poolCount * perPool),15:0.000}");
    if (tick == 1)
    {
        Console.WriteLine("  where tick 1's time went (summed over 8 pools evaluated at once):");
        foreach (var (name, ms, calls) in timings.Totals())
        {
            Console.WriteLine($"    {name,-36} {ms,9:0} ms {calls,7} calls {ms / calls,7:0.00} ms/call");
        }
    }
}

/// <summary>Always the same instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Counts the commands the evaluator sends instead of putting them on Service Bus: the evaluator is measured, not the queue.</summary>
internal sealed class CountingDispatcher : ICommandDispatcher, ICommandLog, ICommandResultStore
{
    private int _sent;

    public int Sent => _sent;

    public Task SendAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _sent);
        return Task.CompletedTask;
    }

    public Task SendManyAsync(IReadOnlyList<CommandEnvelope> commands, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _sent, commands.Count);
        return Task.CompletedTask;
    }

    public Task RecordAsync(CommandRecord command, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RecordManyAsync(IReadOnlyList<CommandRecord> commands, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<CommandRecord>> ListForInstanceAsync(string tenantId, string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CommandRecord>>([]);

    public Task<CommandResult?> GetAsync(string tenantId, string commandId, CancellationToken cancellationToken) => Task.FromResult<CommandResult?>(null);

    public Task<IReadOnlyList<CommandResult?>> GetManyAsync(string tenantId, IReadOnlyList<string> commandIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CommandResult?>>([.. commandIds.Select(_ => (CommandResult?)null)]);

    public Task<bool> TryAddAsync(CommandResult result, CancellationToken cancellationToken) => Task.FromResult(true);
}
