namespace Serverless.ControlPlane.Zones;

/// <summary>Zone persistence, partitioned by tenant.</summary>
public interface IZoneStore
{
    /// <summary>Adds the zone; false when the tenant already has a zone of that name.</summary>
    Task<bool> TryAddAsync(Zone zone, CancellationToken cancellationToken);

    Task<Zone?> GetAsync(string tenantId, string name, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="pageSize"/> zones ordered by name, starting after <paramref name="afterName"/>.</summary>
    Task<IReadOnlyList<Zone>> ListAsync(string tenantId, int pageSize, string? afterName, CancellationToken cancellationToken);
}
