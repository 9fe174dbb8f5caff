using Azure.Data.Tables;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Tests;
using Serverless.Functions.Storage;

namespace Serverless.Functions.Tests;

/// <summary>
/// What every <see cref="ICommandLog"/> must do, run against the recorder the service tests use and against the table
/// store on Azurite, so the fake cannot drift from the real thing.
/// </summary>
public abstract class CommandLogContract
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    protected abstract ICommandLog Log { get; }

    /// <summary>A tenant of its own per test, so tests sharing one Azurite never see each other's rows.</summary>
    protected string Tenant { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    private CommandRecord Command(string id, int second, string instance, string? parent = null) =>
        new(Tenant, id, "agent.ping", "dc-1", "dc-1", At.AddSeconds(second), At.AddSeconds(second + 30), instance, $"CommandResult:{id}", parent);

    [Fact]
    public async Task AnInstancesCommands_AndItsChildrens_InTimeOrder_AndNoOneElses()
    {
        await Log.RecordAsync(Command("c3", 30, $"{Tenant}.child", $"{Tenant}.stack"), CancellationToken.None);
        await Log.RecordAsync(Command("c1", 10, $"{Tenant}.stack"), CancellationToken.None);
        await Log.RecordAsync(Command("c2", 20, $"{Tenant}.stacks"), CancellationToken.None);
        await Log.RecordAsync(Command("c4", 5, $"{Tenant}.child", $"{Tenant}.stack"), CancellationToken.None);

        var stack = await Log.ListForInstanceAsync(Tenant, $"{Tenant}.stack", CancellationToken.None);
        var child = await Log.ListForInstanceAsync(Tenant, $"{Tenant}.child", CancellationToken.None);

        Assert.Equal(["c4", "c1", "c3"], stack.Select(c => c.CommandId));
        Assert.Equal(["c4", "c3"], child.Select(c => c.CommandId));
        Assert.Equal(Command("c3", 30, $"{Tenant}.child", $"{Tenant}.stack"), stack[2]);
        Assert.Empty(await Log.ListForInstanceAsync("other", $"{Tenant}.stack", CancellationToken.None));
    }

    [Fact]
    public async Task RecordingMany_AcrossTransactions_WithOneRecordedBefore_KeepsOneEntryEach_InTimeOrder()
    {
        await Log.RecordAsync(Command("c007", 7, $"{Tenant}.op", $"{Tenant}.stack"), CancellationToken.None);
        var many = Enumerable.Range(0, 80).Select(i => Command($"c{i:D3}", i, $"{Tenant}.op", $"{Tenant}.stack")).ToList();

        await Log.RecordManyAsync([.. many, many[3]], CancellationToken.None);

        Assert.Equal(many.Select(c => c.CommandId), (await Log.ListForInstanceAsync(Tenant, $"{Tenant}.op", CancellationToken.None)).Select(c => c.CommandId));
        Assert.Equal(many, await Log.ListForInstanceAsync(Tenant, $"{Tenant}.stack", CancellationToken.None));
    }

    [Fact]
    public async Task RecordingACommandAgain_KeepsOneEntry()
    {
        await Log.RecordAsync(Command("c1", 10, $"{Tenant}.op"), CancellationToken.None);
        await Log.RecordAsync(Command("c1", 10, $"{Tenant}.op"), CancellationToken.None);

        Assert.Single(await Log.ListForInstanceAsync(Tenant, $"{Tenant}.op", CancellationToken.None));
    }
}

/// <summary>The contract on the recorder the service tests use.</summary>
public sealed class RecorderCommandLogContract : CommandLogContract
{
    protected override ICommandLog Log { get; } = new CommandRecorder();
}

/// <summary>The contract on the table store, against a real Azurite.</summary>
public sealed class TableCommandLogContract(AzuriteFixture azurite) : CommandLogContract, IClassFixture<AzuriteFixture>
{
    protected override ICommandLog Log { get; } = new TableCommandLog(new TableProvider(new TableServiceClient(azurite.ConnectionString)));
}
