using Azure.Data.Tables;
using Serverless.Contracts;
using Serverless.Contracts.Agents;
using Serverless.ControlPlane.Pools;
using Serverless.Functions.Storage;

namespace Serverless.Functions.Tests;

/// <summary>
/// The rows a tick reads in <c>PoolRuntime</c>, on Azurite: pools moved from the old layout, the members' reading
/// rings. Apart from <see cref="PoolTickStorageTests"/>, whose evaluator would count these pools' reads too.
/// </summary>
public sealed class PoolRuntimeStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReadTicks_PoolFromBeforePoolRuntime_IsMovedOnce_WithItsMembersAndState_AndTheOldRowsGo_ButNotItsHistory()
    {
        var tables = new TableProvider(new TableServiceClient(azurite.ConnectionString));
        var store = new TablePoolStore(tables);
        var policy = new PoolPolicy("connections.active", 100, 20, 40, 120, 60, 1, 3, 1, MemberPreference.ClientFirst);
        var pool = new PoolDefinition("legacy", "web", ServiceKind.LoadBalancer, [new PoolMember("m-1", "lb-1", "dc-1", "1", null)], policy, Now, Now);
        var definitions = await tables.GetAsync(TableProvider.Pools, CancellationToken.None);
        await definitions.AddEntityAsync(new TableEntity("legacy", "web")
        {
            ["ServiceKind"] = "LoadBalancer",
            ["Members"] = System.Text.Json.JsonSerializer.Serialize(pool.Members, StorageJsonContext.Default.IReadOnlyListPoolMember),
            ["Policy"] = System.Text.Json.JsonSerializer.Serialize(policy, StorageJsonContext.Default.PoolPolicy),
            ["CreatedAt"] = Now,
            ["UpdatedAt"] = Now,
        });
        var old = await tables.GetAsync(TableProvider.PoolMembers, CancellationToken.None);
        await old.AddEntityAsync(new TableEntity("legacy|web", "m-1") { ["State"] = "Active", ["StateSince"] = Now.AddMinutes(-5), ["Reason"] = "before" });
        await old.AddEntityAsync(new TableEntity("legacy|web", "~state") { ["LastChangeAt"] = Now.AddMinutes(-3), ["SubscribedAt"] = "{}", ["SubscribedVersion"] = "7" });
        await old.AddEntityAsync(new TableEntity("legacy|web", "~r|connections.active|0638000000000000000|m-1|b|0000") { ["Member"] = "m-1", ["Value"] = 5.0, ["At"] = Now });

        var first = (await store.ReadTicksAsync([pool], Now, CancellationToken.None))[0];
        Assert.Equal((Now.AddMinutes(-3), "7"), (first.State!.LastChangeAt, first.State.SubscribedVersion));
        Assert.Equal((MemberState.Active, "before"), (first.Statuses.Single().State, first.Statuses.Single().Reason));
        Assert.NotNull(first.State.ETag);
        Assert.Equal([true], await store.TryCommitAsync([new PoolCommit("legacy", "web", [], first.State with { SubscribedVersion = "8" })], CancellationToken.None));

        var again = (await store.ReadTicksAsync([pool], Now, CancellationToken.None))[0];
        Assert.Equal(("8", MemberState.Active), (again.State!.SubscribedVersion, again.Statuses.Single().State));
        var left = new List<string>();
        await foreach (var e in old.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"legacy|web"}")))
        {
            left.Add(e.RowKey);
        }

        Assert.Equal(["~r|connections.active|0638000000000000000|m-1|b|0000"], left);
        Assert.Equal([false], await store.TryCommitAsync([new PoolCommit("legacy", "web", [], first.State)], CancellationToken.None));
    }

    [Fact]
    public async Task Commit_PoolsOfOnePartitionShareATransaction_AStaleOneIsRefusedAlone_AndTheOthersAreWritten()
    {
        var store = new TablePoolStore(new TableProvider(new TableServiceClient(azurite.ConnectionString)));
        var policy = new PoolPolicy("connections.active", 100, 20, 40, 120, 60, 1, 3, 1, MemberPreference.ClientFirst);
        var ids = Enumerable.Range(0, 1000).Select(i => $"batch-{i}").GroupBy(id => PoolRuntimeRows.Partition("batched", id)).First(g => g.Count() >= 3).Take(3).ToList();
        var pools = ids.Select(id => new PoolDefinition("batched", id, ServiceKind.LoadBalancer, [new PoolMember("m-1", "lb-1", "dc-1", "1", null)], policy, Now, Now)).ToList();
        foreach (var pool in pools)
        {
            Assert.True(await store.TryAddAsync(pool, CancellationToken.None));
        }

        var read = await store.ReadTicksAsync(pools, Now, CancellationToken.None);
        PoolCommit Activate(int i, PoolRuntime tick) => new("batched", ids[i],
            [new PoolTransition(new PoolMemberStatus("batched", ids[i], "m-1", MemberState.Activating, Now, "load", $"cmd-{i}"), null)], tick.State! with { LastChangeAt = Now });

        // The middle pool's state changes after the read: its commit is stale, the other two are not.
        Assert.Equal([true], await store.TryCommitAsync([new PoolCommit("batched", ids[1], [], read[1].State! with { SubscribedVersion = "elsewhere" })], CancellationToken.None));
        var written = await store.TryCommitAsync([.. read.Select((tick, i) => Activate(i, tick))], CancellationToken.None);

        Assert.Equal([true, false, true], written);
        var after = await store.ReadTicksAsync(pools, Now, CancellationToken.None);
        Assert.Equal(["Activating:cmd-0", "none", "Activating:cmd-2"], after.Select(t => t.Statuses.SingleOrDefault() is { } m ? $"{m.State}:{m.PendingCommandId}" : "none"));
        Assert.Equal("elsewhere", after[1].State!.SubscribedVersion);
    }

    [Fact]
    public async Task MemberStatus_KeepsItsMeasuredActivation_ThroughAPointReadAndTheTicksRead()
    {
        var store = new TablePoolStore(new TableProvider(new TableServiceClient(azurite.ConnectionString)));
        var policy = new PoolPolicy("connections.active", 100, 20, 40, 120, 60, 1, 3, 1, MemberPreference.ClientFirst);
        var pool = new PoolDefinition("measured", "web", ServiceKind.LoadBalancer, [new PoolMember("m-1", "lb-1", "dc-1", "1", null), new PoolMember("m-2", "lb-1", "dc-1", "2", null)], policy, Now, Now);
        Assert.True(await store.TryAddAsync(pool, CancellationToken.None));

        Assert.True(await store.TrySetMemberStatusAsync(new PoolMemberStatus("measured", "web", "m-1", MemberState.Active, Now, "confirmed", ActivationSeconds: 47), null, CancellationToken.None));
        Assert.True(await store.TrySetMemberStatusAsync(new PoolMemberStatus("measured", "web", "m-2", MemberState.Inactive, Now, "never run"), null, CancellationToken.None));

        Assert.Equal(47, (await store.GetMemberStatusAsync("measured", "web", "m-1", CancellationToken.None))!.ActivationSeconds);
        var tick = (await store.ReadTicksAsync([pool], Now, CancellationToken.None))[0];
        Assert.Equal(["m-1:47", "m-2:"], tick.Statuses.OrderBy(s => s.MemberId, StringComparer.Ordinal).Select(s => $"{s.MemberId}:{s.ActivationSeconds}"));
    }

    [Fact]
    public async Task Rings_KeepEachReadingExactly_ReadersTakeTheLookbackOnly_AndAPolicyChangeDropsRingsOfTheOldGeometry()
    {
        var tables = new TableProvider(new TableServiceClient(azurite.ConnectionString));
        var store = new TablePoolStore(tables);
        var policy = new PoolPolicy("connections.active", 100, 20, 40, 120, 10, 1, 3, 1, MemberPreference.ClientFirst);
        var members = new List<PoolMember> { new("m-1", "lb-1", "dc-1", "1", null) };
        Assert.True(await store.TryAddAsync(new PoolDefinition("rings", "web", ServiceKind.LoadBalancer, members, policy, Now, Now), CancellationToken.None));
        var ring = PoolWindowRing.For(policy);

        // Readings every 10 s for ten minutes, phased on the slot boundaries, as an agent polling on whole seconds would.
        var samples = Enumerable.Range(0, 60).Select(i => new MetricSample("web.m-1", "connections.active", i + 0.25, Now.AddSeconds(-10 * (59 - i)))).ToList();
        await new TableAgentTelemetryStore(tables).RecordMetricsAsync(
            "rings", new MetricBatch(SchemaVersions.Current, "b-1", "agent-1", "dc-1", samples), new Dictionary<string, PoolWindowRing> { ["web"] = ring }, CancellationToken.None);

        var pool = (await store.GetAsync("rings", "web", CancellationToken.None))!;
        var window = (await store.ReadTicksAsync([pool], Now, CancellationToken.None))[0].Readings["m-1"];
        var lookback = PoolWindowRing.Lookback(policy);
        var expected = samples.Where(s => s.At >= Now - lookback).Select(s => new MetricPoint(s.At, s.Value)).ToList();
        Assert.True(expected.Count >= 15, $"only {expected.Count} readings in the lookback");
        Assert.Equal(expected, window);

        Assert.True(await store.TryReplaceAsync(pool with { Policy = policy with { ActivateAfterSeconds = 600 } }, CancellationToken.None));
        var runtime = await tables.GetAsync(TableProvider.PoolRuntime, CancellationToken.None);
        var rings = runtime.QueryAsync<TableEntity>(TableClient.CreateQueryFilter(
            $"PartitionKey eq {PoolRuntimeRows.Partition("rings", "web")} and RowKey ge {"rings|web|~w|"} and RowKey lt {"rings|web|~w}"}"));
        Assert.Empty(await rings.ToListAsync());
    }
}
