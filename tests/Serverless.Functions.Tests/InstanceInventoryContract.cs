using Azure.Data.Tables;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Tests;
using Serverless.Functions.Storage;

namespace Serverless.Functions.Tests;

/// <summary>
/// What every <see cref="IInstanceStore"/> (the hosts' inventories) must do, run against the in-memory fake the service
/// tests use and against the table store on Azurite, so the fake cannot drift from the real thing.
/// </summary>
public abstract class InstanceInventoryContract
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    protected abstract IInstanceStore Store { get; }

    /// <summary>A tenant of its own per test, so tests sharing one Azurite never see each other's rows.</summary>
    protected string Tenant { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task UpsertMany_OverHostsAndTransactions_KeepsTheLastWordPerInstance_AndReplaceAllMakesAHostExact()
    {
        var many = Enumerable.Range(0, 150).Select(i => Instance(i % 2 == 0 ? "kvm-1" : "kvm-2", $"vm {i:D3}", InstanceState.ShutOff)).ToList();
        await Store.UpsertManyAsync([.. many, Instance("kvm-1", "vm 000", InstanceState.Running)], CancellationToken.None);

        var one = await Store.ListAsync(Tenant, "kvm-1", CancellationToken.None);
        var two = await Store.ListAsync(Tenant, "kvm-2", CancellationToken.None);
        Assert.Equal((75, 75), (one.Count, two.Count));
        Assert.Equal(InstanceState.Running, one.Single(i => i.Name == "vm 000").State);
        Assert.All(two, i => Assert.Equal(("kvm-2", InstanceState.ShutOff), (i.ResourceId, i.State)));

        await Store.ReplaceAllAsync(Tenant, "kvm-2", [Instance("kvm-2", "vm 001", InstanceState.Running)], CancellationToken.None);
        Assert.Equal(["vm 001"], (await Store.ListAsync(Tenant, "kvm-2", CancellationToken.None)).Select(i => i.Name));
        Assert.Equal(75, (await Store.ListAsync(Tenant, "kvm-1", CancellationToken.None)).Count);
    }

    private ResourceInstance Instance(string host, string name, InstanceState state) => new(Tenant, host, "dc-1", name, state, At);
}

/// <summary>The contract on the in-memory fake the service tests use.</summary>
public sealed class InMemoryInstanceInventoryContract : InstanceInventoryContract
{
    protected override IInstanceStore Store { get; } = new InMemoryResourceStores();
}

/// <summary>The contract on the table store, against a real Azurite.</summary>
public sealed class TableInstanceInventoryContract(AzuriteFixture azurite) : InstanceInventoryContract, IClassFixture<AzuriteFixture>
{
    protected override IInstanceStore Store { get; } = new TableInstanceStore(new TableProvider(new TableServiceClient(azurite.ConnectionString)));
}
