using Azure.Data.Tables;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Tests;
using Serverless.Functions.Storage;

namespace Serverless.Functions.Tests;

/// <summary>
/// What every <see cref="IAgentGroupStore"/> must do, on the in-memory fake the service tests use and on the table store
/// on Azurite: groups round-trip, and the connectivity timer's watch is kept beside them without showing up as a group.
/// </summary>
public abstract class AgentGroupStoreContract
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    protected abstract IAgentGroupStore Store { get; }

    [Fact]
    public async Task Groups_RoundTrip_AndTheWatch_IsKeptApartFromThem()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N")[..10];
        var group = new AgentGroupConnectivity(tenant, "dc-1", AgentGroupStatus.Disconnected, At, At.AddMinutes(3));
        await Store.UpsertAsync(group, CancellationToken.None);
        await Store.SetWatchAsync(new ConnectivityWatch(At.AddMinutes(5), At.AddMinutes(4)), CancellationToken.None);
        await Store.SetWatchAsync(new ConnectivityWatch(At.AddMinutes(6), At.AddMinutes(4)), CancellationToken.None);

        Assert.Equal(group, await Store.GetAsync(tenant, "dc-1", CancellationToken.None));
        Assert.Equal(new ConnectivityWatch(At.AddMinutes(6), At.AddMinutes(4)), await Store.GetWatchAsync(CancellationToken.None));
        var listed = await Store.ListAsync(CancellationToken.None);
        Assert.Contains(group, listed);
        Assert.All(listed, g => Assert.False(g.TenantId.StartsWith('~'), $"the watch is listed as a group: {g}"));
    }
}

/// <summary>The contract on the in-memory fake.</summary>
public sealed class InMemoryAgentGroupStoreContract : AgentGroupStoreContract
{
    protected override IAgentGroupStore Store { get; } = new InMemoryAgentStores();
}

/// <summary>The contract on the table store, against a real Azurite.</summary>
public sealed class TableAgentGroupStoreContract(AzuriteFixture azurite) : AgentGroupStoreContract, IClassFixture<AzuriteFixture>
{
    protected override IAgentGroupStore Store { get; } = new TableAgentGroupStore(new TableProvider(new TableServiceClient(azurite.ConnectionString)));
}
