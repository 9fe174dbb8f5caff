using System.Buffers;
using System.Globalization;

namespace Serverless.ControlPlane.Placement;

/// <summary>
/// Chooses a host for one instance. A host can take it when it is registered for compute, its zone's agents are
/// connected, it offers the image, holds no instance of the same anti-affinity group, and has the vCPUs and memory free
/// (its node info times the overcommit ratios, minus what our instances hold). Among those, in this order of preference:
/// (1) with a spread group, the zone holding the fewest of the group, then the host holding the fewest; (2) the host
/// with the largest share of its memory still free after placing; (3) the most vCPUs free; (4) the host id. A refusal
/// names every host in the allowed zones and why it was passed over. Pure and deterministic.
/// </summary>
public static class PlacementEngine
{
    public static PlacementDecision Place(PlacementQuery request, IReadOnlyList<HostCapacity> hosts, PlacementGroups groups, PlacementOptions options)
    {
        var zoneIndex = new Dictionary<string, int>(request.Zones.Count, StringComparer.Ordinal);
        foreach (var zone in request.Zones)
        {
            zoneIndex.TryAdd(zone, zoneIndex.Count);
        }

        IReadOnlySet<string>? excluded = request.AntiAffinityGroup is { } aag ? groups.AntiAffinity.GetValueOrDefault(aag) : null;
        IReadOnlyDictionary<string, int>? spread = request.SpreadGroup is { } group ? groups.Spread.GetValueOrDefault(group) : null;
        var spreading = request.SpreadGroup is not null;

        // Spread compares zones by what they hold already, so the zones' totals come first; the first pass keeps each
        // host's zone and count for the second.
        var zoneSpread = new int[zoneIndex.Count];
        var zoneOf = spread is null ? null : ArrayPool<int>.Shared.Rent(hosts.Count);
        var spreadOf = spread is null ? null : ArrayPool<int>.Shared.Rent(hosts.Count);
        var refusals = new List<string>();
        (HostCapacity Host, int Zone, int Spread) best = default;
        var bestShare = 0.0;
        try
        {
            if (spread is not null)
            {
                for (var i = 0; i < hosts.Count; i++)
                {
                    zoneOf![i] = zoneIndex.TryGetValue(hosts[i].Zone, out var zone) ? zone : -1;
                    spreadOf![i] = zoneOf[i] < 0 ? 0 : spread.GetValueOrDefault(hosts[i].HostId);
                    if (zoneOf[i] >= 0)
                    {
                        zoneSpread[zoneOf[i]] += spreadOf[i];
                    }
                }
            }

            for (var i = 0; i < hosts.Count; i++)
            {
                var host = hosts[i];
                var zone = zoneOf is not null ? zoneOf[i] : zoneIndex.TryGetValue(host.Zone, out var found) ? found : -1;
                if (zone < 0)
                {
                    continue;
                }

                if (Refusal(request, host, excluded, options) is { } reason)
                {
                    refusals.Add(reason);
                    continue;
                }

                var candidate = (host, zone, spreadOf is null ? 0 : spreadOf[i]);
                var share = FreeShareAfter(host, request, options);
                if (best.Host is null || Prefers(spreading, candidate, share, best, bestShare, zoneSpread, options))
                {
                    (best, bestShare) = (candidate, share);
                }
            }
        }
        finally
        {
            if (zoneOf is not null)
            {
                ArrayPool<int>.Shared.Return(zoneOf);
                ArrayPool<int>.Shared.Return(spreadOf!);
            }
        }

        if (best.Host is null)
        {
            refusals.Sort(StringComparer.Ordinal);
            var zones = string.Join(", ", request.Zones);
            var need = string.Create(CultureInfo.InvariantCulture, $"{request.VirtualCpus} vCPU(s) and {request.MemoryMiB} MiB with image '{request.Image}'");
            var explanation = refusals.Count == 0
                ? $"no compute host is registered in [{zones}]."
                : $"no host in [{zones}] can take {need}: {string.Join("; ", refusals)}.";
            return new PlacementDecision(null, null, refusals, explanation);
        }

        return new PlacementDecision(best.Host.HostId, best.Host.Zone, refusals, null);
    }

    /// <summary>vCPUs the host may still promise.</summary>
    public static int FreeVirtualCpus(HostCapacity host, PlacementOptions options) =>
        (int)Math.Floor(host.Cpus * options.CpuOvercommit) - host.UsedVirtualCpus;

    /// <summary>Memory the host may still promise.</summary>
    public static long FreeMemoryMiB(HostCapacity host, PlacementOptions options) =>
        (long)Math.Floor(host.MemoryMiB * options.MemoryOvercommit) - host.UsedMemoryMiB;

    private static string? Refusal(PlacementQuery request, HostCapacity host, IReadOnlySet<string>? excluded, PlacementOptions options)
    {
        if (!host.Usable)
        {
            return $"{host.HostId} is not registered for compute";
        }

        if (!host.Connected)
        {
            return $"{host.HostId} is disconnected";
        }

        var cpus = FreeVirtualCpus(host, options);
        if (cpus < request.VirtualCpus)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{host.HostId} has {Math.Max(0, cpus)} vCPU(s) free");
        }

        var memory = FreeMemoryMiB(host, options);
        if (memory < request.MemoryMiB)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{host.HostId} has {Math.Max(0, memory)} MiB free");
        }

        if (excluded is not null && excluded.Contains(host.HostId))
        {
            return $"{host.HostId} already holds an instance of anti-affinity group '{request.AntiAffinityGroup}'";
        }

        return host.Images.Contains(request.Image) ? null : $"{host.HostId} does not offer image '{request.Image}'";
    }

    /// <summary>Whether <paramref name="candidate"/> is preferred over <paramref name="best"/> (see the class summary).</summary>
    private static bool Prefers(
        bool spreading, (HostCapacity Host, int Zone, int Spread) candidate, double candidateShare,
        (HostCapacity Host, int Zone, int Spread) best, double bestShare, int[] zoneSpread, PlacementOptions options)
    {
        if (spreading)
        {
            var byZone = zoneSpread[candidate.Zone].CompareTo(zoneSpread[best.Zone]);
            if (byZone != 0)
            {
                return byZone < 0;
            }

            var byHost = candidate.Spread.CompareTo(best.Spread);
            if (byHost != 0)
            {
                return byHost < 0;
            }
        }

        var byMemory = candidateShare.CompareTo(bestShare);
        if (byMemory != 0)
        {
            return byMemory > 0;
        }

        var byCpus = FreeVirtualCpus(candidate.Host, options).CompareTo(FreeVirtualCpus(best.Host, options));
        return byCpus != 0 ? byCpus > 0 : string.CompareOrdinal(candidate.Host.HostId, best.Host.HostId) < 0;
    }

    private static double FreeShareAfter(HostCapacity host, PlacementQuery request, PlacementOptions options) =>
        (FreeMemoryMiB(host, options) - request.MemoryMiB) / Math.Max(1.0, host.MemoryMiB * options.MemoryOvercommit);
}
