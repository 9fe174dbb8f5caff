using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Serverless.ControlPlane.Stacks;
using Serverless.ControlPlane.Tests;
using Serverless.Functions.Storage;
using Serverless.Testing;

namespace Serverless.Functions.Tests;

/// <summary>
/// What every <see cref="IStackStore"/> must do, run against the in-memory fake the service tests use and against the
/// table store on Azurite, so the fake cannot drift from the real thing.
/// </summary>
public abstract class StackStoreContract
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    protected abstract IStackStore Store { get; }

    /// <summary>A tenant of its own per test, so tests sharing one Azurite never see each other's rows.</summary>
    protected string Tenant { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Add_IsRefusedForATakenName_AndGetGivesAnETag()
    {
        Assert.True(await Store.TryAddAsync(Stack("shop"), CancellationToken.None));
        Assert.False(await Store.TryAddAsync(Stack("shop") with { Version = 5 }, CancellationToken.None));

        var stored = await Store.GetAsync(Tenant, "shop", CancellationToken.None);
        Assert.Equal((0, StackStatus.New), (stored!.Version, stored.Status));
        Assert.False(string.IsNullOrEmpty(stored.ETag));
        Assert.Null(await Store.GetAsync(Tenant, "other", CancellationToken.None));
    }

    [Fact]
    public async Task Replace_WithAStaleETag_IsRefused_AndASuccessfulOneChangesTheETag()
    {
        await Store.TryAddAsync(Stack("shop"), CancellationToken.None);
        var first = (await Store.GetAsync(Tenant, "shop", CancellationToken.None))!;

        Assert.True(await Store.TryReplaceAsync(first with { Status = StackStatus.RollingOut, Version = 1 }, CancellationToken.None));
        Assert.False(await Store.TryReplaceAsync(first with { Status = StackStatus.Deleting }, CancellationToken.None));
        var second = (await Store.GetAsync(Tenant, "shop", CancellationToken.None))!;
        Assert.Equal((StackStatus.RollingOut, 1), (second.Status, second.Version));
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.False(await Store.TryReplaceAsync(Stack("missing") with { ETag = second.ETag }, CancellationToken.None));
    }

    [Fact]
    public async Task List_PagesInNameOrder_AfterTheGivenName()
    {
        foreach (var name in new[] { "c", "a", "d", "b" })
        {
            await Store.TryAddAsync(Stack(name), CancellationToken.None);
        }

        var first = await Store.ListAsync(Tenant, 2, null, CancellationToken.None);
        var second = await Store.ListAsync(Tenant, 2, first[^1].Name, CancellationToken.None);

        Assert.Equal(["a", "b", "c", "d"], first.Concat(second).Select(s => s.Name));
    }

    [Fact]
    public async Task Record_WritesTheEntryAndItsItem_ARepeatChangesNothingMore_AndRemovingAnItemRemovesOnlyIt()
    {
        var entry = new StackEvent(1, 0, At, "instance:web:1", "apply:begin", "launch", "key", "terminate");
        await Store.RecordAsync(Tenant, "shop", entry, Item("instance:web:1", StackItemState.Applying), null, CancellationToken.None);
        await Store.RecordAsync(Tenant, "shop", entry, Item("instance:web:1", StackItemState.Applying), null, CancellationToken.None);
        await Store.RecordAsync(Tenant, "shop", null, Item("appliance:lb", StackItemState.Applied), null, CancellationToken.None);
        await Store.RecordAsync(Tenant, "shop", new StackEvent(1, 1, At, "instance:web:1", "delete:done", "gone"), null, "instance:web:1", CancellationToken.None);
        await Store.RecordAsync(Tenant, "shop", null, null, "instance:never", CancellationToken.None);

        Assert.Equal(["apply:begin", "delete:done"], (await Store.ListEventsAsync(Tenant, "shop", 10, 0, -1, CancellationToken.None)).Select(e => e.Phase));
        Assert.Equal(["appliance:lb"], (await Store.ListItemsAsync(Tenant, "shop", CancellationToken.None)).Select(i => i.Key));
        Assert.Null(await Store.GetItemAsync(Tenant, "shop", "instance:web:1", CancellationToken.None));
        Assert.Empty(await Store.ListItemsAsync(Tenant, "other", CancellationToken.None));
    }

    [Fact]
    public async Task Items_KeepEveryField_IncludingTheirSnapshotOfBefore()
    {
        var before = Item("appliance:lb", StackItemState.Applied) with { Bindings = [new("1.3.6.1.4.1.8072.9999.1.1.1", "i", "1")], Run = 1 };
        var item = before with
        {
            Run = 2,
            State = StackItemState.UndoFailed,
            RunPrior = [new("1.3.6.1.4.1.8072.9999.1.1.1", "integer", "2")],
            Members = [new("web-1", "kvm-1", "dc-1", null, "web-1")],
            Reason = "timeout",
            Before = before,
        };

        await Store.RecordAsync(Tenant, "shop", null, item, null, CancellationToken.None);
        var stored = await Store.GetItemAsync(Tenant, "shop", "appliance:lb", CancellationToken.None);

        Assert.Equal(JsonSerializer.Serialize(item), JsonSerializer.Serialize(stored));
    }

    [Fact]
    public async Task ReplaceItems_UpsertsAndRemoves_ManyAtOnce()
    {
        for (var i = 0; i < 150; i++)
        {
            await Store.RecordAsync(Tenant, "shop", null, Item(string.Create(CultureInfo.InvariantCulture, $"instance:web:{i}"), StackItemState.Undone), null, CancellationToken.None);
        }

        await Store.ReplaceItemsAsync(
            Tenant, "shop", [Item("instance:web:0", StackItemState.Applied), Item("instance:db:1", StackItemState.Applied)],
            [.. Enumerable.Range(1, 149).Select(i => string.Create(CultureInfo.InvariantCulture, $"instance:web:{i}")), "instance:none"], CancellationToken.None);

        Assert.Equal(["instance:db:1:applied", "instance:web:0:applied"],
            (await Store.ListItemsAsync(Tenant, "shop", CancellationToken.None)).Select(i => $"{i.Key}:{i.State.ToString().ToLowerInvariant()}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Events_ComeInRunThenSequenceOrder_PagedAfterAPosition()
    {
        foreach (var (run, sequence) in new[] { (2, 0), (1, 10), (1, 2), (2, 1), (10, 0) })
        {
            await Store.RecordAsync(Tenant, "shop", new StackEvent(run, sequence, At, null, "run", "m"), null, null, CancellationToken.None);
        }

        var all = await Store.ListEventsAsync(Tenant, "shop", 10, 0, -1, CancellationToken.None);
        var after = await Store.ListEventsAsync(Tenant, "shop", 2, 1, 10, CancellationToken.None);

        Assert.Equal(["1.2", "1.10", "2.0", "2.1", "10.0"], all.Select(e => $"{e.Run}.{e.Sequence}"));
        Assert.Equal(["2.0", "2.1"], after.Select(e => $"{e.Run}.{e.Sequence}"));
    }

    [Fact]
    public async Task Plans_RoundTripWhole_EvenLarge_AndRecordWhoAppliedThem()
    {
        var steps = Enumerable.Range(1, 1000).Select(i => new StackStep(
            string.Create(CultureInfo.InvariantCulture, $"instance:web:{i}"), StackItemKind.Instance, "web", 0, StackActionKind.Create, $"vcpus=1;n={i}", "dc-1", "kvm-1",
            string.Create(CultureInfo.InvariantCulture, $"shop-web-{i}"), null, $"launch shop-web-{i} on kvm-1 with a detail long enough to make the plan large {Guid.NewGuid()}",
            new StackLaunch(1, 512, "ubuntu", ["dc-1", "cloud-1"], null, "shop-web", new Dictionary<string, string> { ["stack"] = "shop" }))).ToList();
        var plan = new StackPlan
        {
            TenantId = Tenant,
            Stack = "shop",
            PlanId = "p1",
            Template = JsonDocument.Parse("""{"schemaVersion":1,"tiers":[]}""").RootElement,
            Parameters = new Dictionary<string, JsonElement> { ["n"] = JsonDocument.Parse("3").RootElement },
            BasedOnVersion = 4,
            Steps = steps,
            CreatedAt = At,
        };

        await Store.AddPlanAsync(plan, CancellationToken.None);
        await Store.MarkPlanAppliedAsync(Tenant, "shop", "p1", "op-1", CancellationToken.None);
        var stored = await Store.GetPlanAsync(Tenant, "shop", "p1", CancellationToken.None);

        Assert.Equal((4, "op-1", 1000), (stored!.BasedOnVersion, stored.AppliedBy, stored.Steps.Count));
        Assert.Equal(JsonSerializer.Serialize(steps), JsonSerializer.Serialize(stored.Steps));
        Assert.Equal("3", stored.Parameters["n"].GetRawText());
        Assert.Null(await Store.GetPlanAsync(Tenant, "other", "p1", CancellationToken.None));
    }

    private StackRecord Stack(string name) => new() { TenantId = Tenant, Name = name, Status = StackStatus.New, Version = 0, CreatedAt = At, UpdatedAt = At };

    private static StackItem Item(string key, StackItemState state) => new()
    {
        Key = key, Kind = StackItemKind.Instance, Component = key.Split(':')[1], Level = 0, State = state, Spec = "spec", Run = 1, UpdatedAt = At,
    };
}

/// <summary>The contract on the fake the stack service tests use.</summary>
public sealed class InMemoryStackStoreContract : StackStoreContract
{
    protected override IStackStore Store { get; } = new InMemoryStackStore();
}

/// <summary>The contract on the table store, against a real Azurite.</summary>
public sealed class TableStackStoreContract(AzuriteFixture azurite) : StackStoreContract, IClassFixture<AzuriteFixture>
{
    protected override IStackStore Store { get; } = new TableStackStore(new TableProvider(new TableServiceClient(azurite.ConnectionString)));
}

/// <summary>One Azurite for a test class.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public string ConnectionString => _azurite!.ConnectionString;

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
