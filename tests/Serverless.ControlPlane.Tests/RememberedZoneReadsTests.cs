using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Tests;

public sealed class RememberedZoneReadsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EachZoneAndEachPage_IsReadOnce_AMissingZoneToo_AndWritesGoThrough()
    {
        var store = new InMemoryZoneStore();
        await store.TryAddAsync(new Zone("t1", "dc-1", ZoneKind.Client, null, At), CancellationToken.None);
        var remembered = new RememberedZoneReads(store);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("dc-1", (await remembered.GetAsync("t1", "dc-1", CancellationToken.None))!.Name);
            Assert.Null(await remembered.GetAsync("t1", "nowhere", CancellationToken.None));
            Assert.Single(await remembered.ListAsync("t1", 100, null, CancellationToken.None));
        }

        Assert.Equal(3, store.Reads);
        Assert.Null(await remembered.GetAsync("t2", "dc-1", CancellationToken.None));
        Assert.True(await remembered.TryAddAsync(new Zone("t1", "cloud-1", ZoneKind.Provider, null, At), CancellationToken.None));
        Assert.NotNull(await store.GetAsync("t1", "cloud-1", CancellationToken.None));
        Assert.Equal(5, store.Reads);
    }
}
