using System.Text.Json;
using Azure.Data.Tables;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Tests;
using Serverless.Functions.Storage;

namespace Serverless.Functions.Tests;

/// <summary>
/// What every <see cref="ICommandResultStore"/> must do, run against the recorder the service tests use and against the
/// table store on Azurite, so the fake cannot drift from the real thing.
/// </summary>
public abstract class CommandResultStoreContract
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    protected abstract ICommandResultStore Store { get; }

    /// <summary>A tenant of its own per test, so tests sharing one Azurite never see each other's rows.</summary>
    protected string Tenant { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task AResultIsStoredOnce_AndGetManyAnswersInTheOrderAsked_NullWhereNoneIsStored()
    {
        var ids = Enumerable.Range(0, 30).Select(i => $"{Tenant}-cmd-{i:D2}").ToList();
        foreach (var id in ids.Where((_, i) => i % 3 != 0))
        {
            Assert.True(await Store.TryAddAsync(Result(id, "first"), CancellationToken.None));
        }

        Assert.False(await Store.TryAddAsync(Result(ids[1], "second"), CancellationToken.None));

        var found = await Store.GetManyAsync(Tenant, [.. ids, ids[1]], CancellationToken.None);

        Assert.Equal(ids.Count + 1, found.Count);
        Assert.All(found.Take(ids.Count).Where((_, i) => i % 3 == 0), Assert.Null);
        Assert.Equal(ids.Where((_, i) => i % 3 != 0), found.Take(ids.Count).Where((_, i) => i % 3 != 0).Select(r => r!.CommandId));
        Assert.Equal(("first", ids[1]), (found[^1]!.AgentId, found[^1]!.CommandId));
        Assert.Equal(CommandStatus.Succeeded, (await Store.GetAsync(Tenant, ids[2], CancellationToken.None))!.Status);
    }

    private CommandResult Result(string id, string agent) => new(
        SchemaVersions.Current, id, Tenant, "dc-1", agent, CommandKinds.Ping, CommandStatus.Succeeded, JsonDocument.Parse("{}").RootElement, null,
        new CommandTimings(At, At, At), new CommandCorrelation(null, null), null);
}

/// <summary>The contract on the recorder the service tests use.</summary>
public sealed class RecorderCommandResultStoreContract : CommandResultStoreContract
{
    protected override ICommandResultStore Store { get; } = new CommandRecorder();
}

/// <summary>The contract on the table store, against a real Azurite.</summary>
public sealed class TableCommandResultStoreContract(AzuriteFixture azurite) : CommandResultStoreContract, IClassFixture<AzuriteFixture>
{
    protected override ICommandResultStore Store { get; } = new TableCommandResultStore(new TableProvider(new TableServiceClient(azurite.ConnectionString)));
}
