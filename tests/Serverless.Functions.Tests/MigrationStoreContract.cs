using Azure.Data.Tables;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Migrations;
using Serverless.ControlPlane.Migrations;
using Serverless.ControlPlane.Tests;
using Serverless.Functions.Storage;

namespace Serverless.Functions.Tests;

/// <summary>
/// What every <see cref="IMigrationStore"/> must do, run against the in-memory fake the service tests use and against
/// the table store on Azurite, so the fake cannot drift from the real thing.
/// </summary>
public abstract class MigrationStoreContract
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    protected abstract IMigrationStore Store { get; }

    /// <summary>A tenant of its own per test, so tests sharing one Azurite never see each other's rows.</summary>
    protected string Tenant { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Add_IsRefusedForATakenId_AndGetGivesTheWholeRecordWithAnETag()
    {
        var migration = Migration("m1", At) with
        {
            State = new BlobDigest(1155, "ab12"),
            TargetVolume = new InstanceVolume("images", "web-1.img", "/pool/web-1.img"),
            Refusals = ["cloud-a: no machine type 'pc-q35-9.0'."],
            Phases = [new MigrationPhaseTiming(MigrationPhase.Preflight, At, At.AddSeconds(1)), new MigrationPhaseTiming(MigrationPhase.Quiesce, At.AddSeconds(1), null)],
        };
        Assert.True(await Store.TryAddAsync(migration, CancellationToken.None));
        Assert.False(await Store.TryAddAsync(Migration("m1", At) with { Instance = "other" }, CancellationToken.None));

        var stored = await Store.GetAsync(Tenant, "m1", CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(stored!.ETag));
        Assert.Equal(migration with { ETag = stored.ETag, Refusals = [], Phases = [] }, stored with { Refusals = [], Phases = [] });
        Assert.Equal(migration.Refusals, stored.Refusals);
        Assert.Equal(migration.Phases, stored.Phases);
        Assert.Null(await Store.GetAsync(Tenant, "m2", CancellationToken.None));
    }

    [Fact]
    public async Task Replace_WithAStaleETag_IsRefused_AndASuccessfulOneChangesTheETag()
    {
        await Store.TryAddAsync(Migration("m1", At), CancellationToken.None);
        var first = (await Store.GetAsync(Tenant, "m1", CancellationToken.None))!;

        Assert.True(await Store.TryReplaceAsync(first with { Phase = MigrationPhase.Save }, CancellationToken.None));
        Assert.False(await Store.TryReplaceAsync(first with { Phase = MigrationPhase.Upload }, CancellationToken.None));
        Assert.False(await Store.TryReplaceAsync(Migration("m9", At) with { ETag = first.ETag }, CancellationToken.None));

        var second = (await Store.GetAsync(Tenant, "m1", CancellationToken.None))!;
        Assert.Equal(MigrationPhase.Save, second.Phase);
        Assert.NotEqual(first.ETag, second.ETag);
    }

    [Fact]
    public async Task List_GivesTheTenantsMigrationsNewestFirst_AndNoOtherTenants()
    {
        await Store.TryAddAsync(Migration("m-old", At), CancellationToken.None);
        await Store.TryAddAsync(Migration("m-new", At.AddMinutes(5)), CancellationToken.None);
        await Store.TryAddAsync(Migration("m-mid", At.AddMinutes(2)), CancellationToken.None);
        await Store.TryAddAsync(Migration("m-else", At) with { TenantId = Tenant + "x" }, CancellationToken.None);

        var listed = await Store.ListAsync(Tenant, CancellationToken.None);

        Assert.Equal(["m-new", "m-mid", "m-old"], listed.Select(m => m.Id));
    }

    private MigrationRecord Migration(string id, DateTimeOffset createdAt) => new()
    {
        TenantId = Tenant,
        Id = id,
        Instance = "web-1",
        SourceZone = "dc-1",
        SourceHost = "kvm-1",
        TargetZone = "cloud-1",
        TargetHost = "cloud-a",
        Phase = MigrationPhase.Preflight,
        Status = MigrationStatus.Running,
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };
}

/// <summary>The contract on the in-memory fake.</summary>
public sealed class InMemoryMigrationStoreContract : MigrationStoreContract
{
    protected override IMigrationStore Store { get; } = new InMemoryMigrationStore();
}

/// <summary>The contract on the table store, against a real Azurite.</summary>
public sealed class TableMigrationStoreContract(AzuriteFixture azurite) : MigrationStoreContract, IClassFixture<AzuriteFixture>
{
    protected override IMigrationStore Store { get; } = new TableMigrationStore(new TableProvider(new TableServiceClient(azurite.ConnectionString)));
}
