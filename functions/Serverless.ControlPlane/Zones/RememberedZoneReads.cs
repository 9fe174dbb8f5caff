using System.Collections.Concurrent;

namespace Serverless.ControlPlane.Zones;

/// <summary>
/// A zone store's reads remembered for one piece of work that checks many requests against the same zones (a stack
/// tier's launches): each zone, and each page of zones, is read once. Writes go through and are not remembered.
/// </summary>
public sealed class RememberedZoneReads(IZoneStore zones) : IZoneStore
{
    private readonly ConcurrentDictionary<(string, string), Task<Zone?>> _zones = new();
    private readonly ConcurrentDictionary<(string, int, string?), Task<IReadOnlyList<Zone>>> _pages = new();

    public Task<bool> TryAddAsync(Zone zone, CancellationToken cancellationToken) => zones.TryAddAsync(zone, cancellationToken);

    public Task<Zone?> GetAsync(string tenantId, string name, CancellationToken cancellationToken) =>
        _zones.GetOrAdd((tenantId, name), key => zones.GetAsync(key.Item1, key.Item2, cancellationToken));

    public Task<IReadOnlyList<Zone>> ListAsync(string tenantId, int pageSize, string? afterName, CancellationToken cancellationToken) =>
        _pages.GetOrAdd((tenantId, pageSize, afterName), key => zones.ListAsync(key.Item1, key.Item2, key.Item3, cancellationToken));
}
