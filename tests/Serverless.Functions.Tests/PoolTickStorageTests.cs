using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Agents;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Tests;
using Serverless.ControlPlane.Zones;
using Serverless.Functions.Storage;

namespace Serverless.Functions.Tests;

/// <summary>
/// What a pool evaluator tick costs in storage calls, counted on the wire of the real table stores on Azurite: a quiet
/// tick reads each pool at most once and each storage partition of pools at most once (beside a few reads the whole
/// tick shares) and writes nothing; an acting tick's writes grow with the pools that act (their commits batched per
/// storage partition), its reads not at all.
/// </summary>
public sealed class PoolTickStorageTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Tenant = "ticks";
    private const int SharedReads = 4; // the pool list, the resource, the zone, the group's connectivity
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly PoolPolicy Policy = new("connections.active", 100, 20, 40, 120, 60, 1, 3, 1, MemberPreference.ClientFirst);

    [Fact]
    public async Task Tick_Quiet_ReadsAtMostOncePerPoolAndPartition_AndWritesNothing_Acting_WritesGrowWithTheActingPoolsOnly()
    {
        var seeding = new TableProvider(new TableServiceClient(azurite.ConnectionString));
        var counter = new CallCounter();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var counted = new TableProvider(new TableServiceClient(azurite.ConnectionString, options));
        await SeedSiteAsync(seeding);
        var recorder = new CommandRecorder();
        var clock = new ManualClock(Now);
        var evaluator = Evaluator(counted, recorder, clock);

        // Tables are created on first use, once per process: the decision log's first use would count as a write.
        await counted.GetAsync(TableProvider.PoolEvents, CancellationToken.None);

        await AddPoolsAsync(seeding, 0, 20, load: 70);
        await evaluator.EvaluatePartitionAsync(0, 1, CancellationToken.None);
        var quiet20 = await CountAsync(counter, evaluator);

        // Ten times the pools: a partition holding several of them is read whole, so reads stop growing with the pools.
        await AddPoolsAsync(seeding, 20, 180, load: 70);
        await evaluator.EvaluatePartitionAsync(0, 1, CancellationToken.None);
        var quiet200 = await CountAsync(counter, evaluator);

        Assert.Equal((0, 0), (quiet20.Writes, quiet200.Writes));
        Assert.InRange(quiet20.Reads, 1 + SharedReads, 20 + SharedReads);
        Assert.InRange(quiet200.Reads, quiet20.Reads, PoolRuntimeRows.Partitions + SharedReads);

        // Later, within the subscriptions' renewal: the quiet pools' readings are stale by then, so they hold. Five
        // pools that act, then ten that share storage partitions, whose commits share transactions.
        clock.Now = Now.AddSeconds(40);
        var five = Enumerable.Range(0, 5).ToList();
        var ten = Enumerable.Range(5, 195).GroupBy(p => PoolRuntimeRows.Partition(Tenant, PoolId(p))).OrderByDescending(g => g.Count()).SelectMany(g => g).Take(10).ToList();
        await PostLoadAsync(seeding, five, 150, clock.Now);
        var sent = recorder.Sent.Count;
        var acting5 = await CountAsync(counter, evaluator);
        Assert.Equal(5, recorder.Sent.Count - sent);
        Assert.All(recorder.Sent.Skip(sent), c => Assert.Equal(CommandKinds.ActivateMember, c.Kind));

        await PostLoadAsync(seeding, ten, 150, clock.Now);
        var acting10 = await CountAsync(counter, evaluator);

        // Per acting pool its command's log entry and its decision's; per storage partition of acting pools one transaction.
        Assert.Equal((quiet200.Reads, quiet200.Reads), (acting5.Reads, acting10.Reads));
        Assert.Equal((5 * 2) + Partitions(five), acting5.Writes);
        Assert.Equal((10 * 2) + Partitions(ten), acting10.Writes);
        Assert.True(Partitions(ten) < 10, $"the ten pools lie in {Partitions(ten)} partitions: the test needs some of them to share one");
        Assert.Equal(15, recorder.Sent.Count(c => c.Kind == CommandKinds.ActivateMember));
    }

    private static int Partitions(IEnumerable<int> pools) => pools.Select(p => PoolRuntimeRows.Partition(Tenant, PoolId(p))).Distinct().Count();

    private static async Task<(int Reads, int Writes)> CountAsync(CallCounter counter, PoolEvaluationService evaluator)
    {
        counter.Reset();
        await evaluator.EvaluatePartitionAsync(0, 1, CancellationToken.None);
        return (counter.Reads, counter.Writes);
    }

    private static PoolEvaluationService Evaluator(TableProvider tables, CommandRecorder recorder, ManualClock clock)
    {
        var connectivity = new ConnectivityService(new TableAgentTelemetryStore(tables), new TableAgentGroupStore(tables), Options.Create(new ConnectivityOptions()), clock);
        var commands = new CommandService(recorder, new TableCommandLog(tables), new TableCommandResultStore(tables), connectivity, Options.Create(new CommandChannelOptions()));
        var pools = new TablePoolStore(tables);
        return new PoolEvaluationService(pools, pools, new TableResourceStore(tables), new TableInstanceStore(tables), new TableZoneStore(tables), connectivity, commands, clock);
    }

    private static async Task SeedSiteAsync(TableProvider tables)
    {
        await new TableZoneStore(tables).TryAddAsync(new Zone(Tenant, "dc-1", ZoneKind.Client, null, Now), CancellationToken.None);
        await new TableAgentGroupStore(tables).UpsertAsync(new AgentGroupConnectivity(Tenant, "dc-1", AgentGroupStatus.Connected, Now, Now), CancellationToken.None);
        await new TableResourceStore(tables).UpsertAsync(new ResourceRegistration(Tenant, "lb-1", "dc-1", ResourceKind.SnmpAppliance, "10.0.0.5:161",
            "simulated-load-balancer", [], RegistrationState.Registered, [], new Dictionary<string, string>(), "op", Now, Now, "lb"), CancellationToken.None);
    }

    /// <summary>Pools of three members with the first one active at <paramref name="load"/>, inside the hold band of 40 to 100.</summary>
    private static async Task AddPoolsAsync(TableProvider tables, int first, int count, double load)
    {
        var pools = new TablePoolStore(tables);
        foreach (var p in Enumerable.Range(first, count))
        {
            var poolId = PoolId(p);
            var members = Enumerable.Range(1, 3).Select(m => new PoolMember($"m-{m}", "lb-1", "dc-1", m.ToString(CultureInfo.InvariantCulture), null)).ToList();
            Assert.True(await pools.TryAddAsync(new PoolDefinition(Tenant, poolId, ServiceKind.LoadBalancer, members, Policy, Now.AddHours(-1), Now.AddHours(-1)), CancellationToken.None));
            Assert.True(await pools.TrySetMemberStatusAsync(new PoolMemberStatus(Tenant, poolId, "m-1", MemberState.Active, Now.AddHours(-1)), null, CancellationToken.None));
        }

        await PostLoadAsync(tables, Enumerable.Range(first, count), load, Now);
    }

    /// <summary>A minute of readings of the active member up to <paramref name="at"/>, through the store the uplink writes with.</summary>
    private static async Task PostLoadAsync(TableProvider tables, IEnumerable<int> pools, double load, DateTimeOffset at)
    {
        var samples = pools.SelectMany(p => Enumerable.Range(0, 7).Select(r =>
            new MetricSample(PoolCommandCorrelation.MemberKey(PoolId(p), "m-1"), "connections.active", load, at.AddSeconds(-10 * r)))).ToList();
        var rings = pools.ToDictionary(PoolId, _ => PoolWindowRing.For(Policy));
        foreach (var chunk in samples.Chunk(MetricBatch.MaxSamples))
        {
            await new TableAgentTelemetryStore(tables).RecordMetricsAsync(
                Tenant, new MetricBatch(SchemaVersions.Current, Guid.NewGuid().ToString("N"), "agent-1", "dc-1", chunk), rings, CancellationToken.None);
        }
    }

    private static string PoolId(int index) => $"pool-{index:D3}";

    /// <summary>Counts requests as they leave the client: GETs are reads, everything else (inserts, batches, updates) writes.</summary>
    private sealed class CallCounter : HttpPipelinePolicy
    {
        private int _reads;
        private int _writes;

        public int Reads => _reads;

        public int Writes => _writes;

        public void Reset() => (_reads, _writes) = (0, 0);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Count(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Count(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Count(HttpMessage message) => Interlocked.Increment(ref message.Request.Method == RequestMethod.Get ? ref _reads : ref _writes);
    }
}
