using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Tests;

/// <summary>Zones (<see cref="ZoneService"/>): checked on creation, unique per tenant, paged in name order.</summary>
public sealed class ZoneServiceTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly ZoneService _service = new(new InMemoryZoneStore(), new ManualClock(At));

    [Fact]
    public async Task A_zone_is_created_once_per_tenant_and_every_bad_field_is_named()
    {
        var created = await _service.CreateAsync("contoso", new CreateZoneRequest("dc-1", ZoneKind.Client, "Amsterdam"), CancellationToken.None);
        Assert.Equal(new Zone("contoso", "dc-1", ZoneKind.Client, "Amsterdam", At), created.Value);

        Assert.Equal("The zone already exists.", (await _service.CreateAsync("contoso", new CreateZoneRequest("dc-1", ZoneKind.Provider, null), CancellationToken.None)).Error!.Title);
        Assert.True((await _service.CreateAsync("fabrikam", new CreateZoneRequest("dc-1", ZoneKind.Provider, null), CancellationToken.None)).Succeeded);
        Assert.False((await _service.GetAsync("fabrikam", "dc-2", CancellationToken.None)).Succeeded);

        var bad = await _service.CreateAsync("contoso", new CreateZoneRequest("Not A Name", null, null), CancellationToken.None);
        Assert.Equal(["kind", "name"], bad.Error!.Fields.Select(f => f.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Zones_are_listed_a_page_at_a_time_in_name_order()
    {
        foreach (var name in new[] { "dc-3", "dc-1", "dc-2" })
        {
            await _service.CreateAsync("contoso", new CreateZoneRequest(name, ZoneKind.Client, null), CancellationToken.None);
        }

        var first = (await _service.ListAsync("contoso", 2, null, CancellationToken.None)).Value!;
        var second = (await _service.ListAsync("contoso", 2, first.ContinuationToken, CancellationToken.None)).Value!;

        Assert.Equal(["dc-1", "dc-2"], first.Items.Select(z => z.Name));
        Assert.Equal(["dc-3"], second.Items.Select(z => z.Name));
        Assert.Null(second.ContinuationToken);
        Assert.False((await _service.ListAsync("contoso", 0, null, CancellationToken.None)).Succeeded);
    }
}
