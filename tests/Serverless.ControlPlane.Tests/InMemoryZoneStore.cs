using System.Collections.Concurrent;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Tests;

public sealed class InMemoryZoneStore : IZoneStore
{
    private readonly ConcurrentDictionary<(string, string), Zone> _zones = new();
    private int _reads;

    /// <summary>How many reads (of a zone or a page of zones) were made.</summary>
    public int Reads => _reads;

    public Task<bool> TryAddAsync(Zone zone, CancellationToken cancellationToken) => Task.FromResult(_zones.TryAdd((zone.TenantId, zone.Name), zone));

    public Task<Zone?> GetAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult(_zones.GetValueOrDefault((tenantId, name)));
    }

    public Task<IReadOnlyList<Zone>> ListAsync(string tenantId, int pageSize, string? afterName, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult<IReadOnlyList<Zone>>([.. _zones.Values
            .Where(z => z.TenantId == tenantId && (afterName is null || string.CompareOrdinal(z.Name, afterName) > 0))
            .OrderBy(z => z.Name, StringComparer.Ordinal)
            .Take(pageSize)]);
    }
}
