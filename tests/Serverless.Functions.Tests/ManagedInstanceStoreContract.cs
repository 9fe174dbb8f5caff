using Azure.Data.Tables;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Tests;
using Serverless.Functions.Storage;

namespace Serverless.Functions.Tests;

/// <summary>
/// What every <see cref="IManagedInstanceStore"/> must do with many records at once, run against the in-memory fake the
/// service tests use and against the table store on Azurite, so the fake cannot drift from the real thing.
/// </summary>
public abstract class ManagedInstanceStoreContract
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    protected abstract IManagedInstanceStore Store { get; }

    /// <summary>A tenant of its own per test, so tests sharing one Azurite never see each other's rows.</summary>
    protected string Tenant { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task GetMany_AnswersInTheOrderAsked_NullForAMissingName_AcrossMoreNamesThanOneQueryHolds()
    {
        var names = Enumerable.Range(0, 40).Select(i => $"app-{i:D2}").ToList();
        foreach (var name in names)
        {
            Assert.True(await Store.TryAddAsync(Instance(name), CancellationToken.None));
        }

        var asked = names.AsEnumerable().Reverse().Prepend("missing").Append("app-07").ToList();
        var found = await Store.GetManyAsync(Tenant, asked, CancellationToken.None);

        Assert.Equal(asked.Count, found.Count);
        Assert.Null(found[0]);
        Assert.Equal(asked.Skip(1), found.Skip(1).Select(i => i!.Name));
        Assert.All(found.Skip(1), i => Assert.False(string.IsNullOrEmpty(i!.ETag)));
        Assert.All(await Store.GetManyAsync("other-" + Tenant, names, CancellationToken.None), Assert.Null);
    }

    [Fact]
    public async Task ReplaceMany_WritesEveryCurrentRecord_AndRefusesOnlyTheOneThatChanged()
    {
        var names = Enumerable.Range(0, 120).Select(i => $"web-{i:D3}").ToList();
        foreach (var name in names)
        {
            await Store.TryAddAsync(Instance(name), CancellationToken.None);
        }

        var read = await Store.GetManyAsync(Tenant, names, CancellationToken.None);
        Assert.True(await Store.TryReplaceAsync(read[5]! with { Reason = "changed by someone else" }, CancellationToken.None));

        var replaced = await Store.TryReplaceManyAsync([.. read.Select(i => i! with { State = LifecycleState.Running, HostId = "kvm-1" })], CancellationToken.None);

        Assert.Equal([.. names.Select(n => n != "web-005")], replaced);
        var after = await Store.GetManyAsync(Tenant, names, CancellationToken.None);
        Assert.Equal(("changed by someone else", LifecycleState.Pending), (after[5]!.Reason, after[5]!.State));
        Assert.All(after.Where((_, i) => i != 5), i => Assert.Equal((LifecycleState.Running, "kvm-1"), (i!.State, i.HostId)));
        Assert.All(after.Where((_, i) => i != 5), i => Assert.NotEqual(read[names.IndexOf(i!.Name)]!.ETag, i.ETag));
    }

    [Fact]
    public async Task ReplaceMany_OfAGoneRecord_IsRefused_AndNothingIsCreated()
    {
        await Store.TryAddAsync(Instance("kept"), CancellationToken.None);
        await Store.TryAddAsync(Instance("gone"), CancellationToken.None);
        var read = await Store.GetManyAsync(Tenant, ["kept", "gone"], CancellationToken.None);
        Assert.True(await Store.TryDeleteAsync(read[1]!, CancellationToken.None));

        var replaced = await Store.TryReplaceManyAsync([read[0]! with { Reason = "a" }, read[1]! with { Reason = "b" }], CancellationToken.None);

        Assert.Equal([true, false], replaced);
        Assert.Null(await Store.GetAsync(Tenant, "gone", CancellationToken.None));
        Assert.Equal("a", (await Store.GetAsync(Tenant, "kept", CancellationToken.None))!.Reason);
    }

    [Fact]
    public async Task AddMany_AddsEveryFreeName_RefusesATakenOne_AndANameGivenTwiceIsAddedOnce()
    {
        Assert.True(await Store.TryAddAsync(Instance("taken") with { Reason = "first" }, CancellationToken.None));
        var names = Enumerable.Range(0, 110).Select(i => $"db-{i:D3}").ToList();

        var added = await Store.TryAddManyAsync([.. names.Select(Instance), Instance("taken"), Instance("db-004") with { Reason = "again" }], CancellationToken.None);

        Assert.Equal([.. names.Select(_ => true), false, false], added);
        var stored = await Store.GetManyAsync(Tenant, [.. names, "taken"], CancellationToken.None);
        Assert.All(stored, i => Assert.NotNull(i));
        Assert.Equal(("first", null), (stored[^1]!.Reason, stored[4]!.Reason));
    }

    private ManagedInstance Instance(string name) => new()
    {
        TenantId = Tenant,
        Name = name,
        Zones = ["dc-1"],
        VirtualCpus = 1,
        MemoryMiB = 64,
        Image = "ubuntu",
        State = LifecycleState.Pending,
        OperationId = "op-1",
        CreatedAt = At,
        UpdatedAt = At,
    };
}

/// <summary>The contract on the in-memory fake the service tests use.</summary>
public sealed class InMemoryManagedInstanceStoreContract : ManagedInstanceStoreContract
{
    protected override IManagedInstanceStore Store { get; } = new InMemoryInstanceStores();
}

/// <summary>The contract on the table store, against a real Azurite.</summary>
public sealed class TableManagedInstanceStoreContract(AzuriteFixture azurite) : ManagedInstanceStoreContract, IClassFixture<AzuriteFixture>
{
    protected override IManagedInstanceStore Store { get; } = new TableManagedInstanceStore(new TableProvider(new TableServiceClient(azurite.ConnectionString)));
}
