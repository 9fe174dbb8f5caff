using Serverless.ControlPlane.Placement;
using Serverless.ControlPlane.Registration;

namespace Serverless.ControlPlane.Instances;

/// <summary>
/// What placement needs, read once: the tenant's virtualization hosts as placement sees them, their placement groups,
/// the registrations behind them and every host's reservations. A batch of launches reserves on it one after another
/// (<see cref="Reserve"/>), so each sees what the ones before it took; <see cref="Changed"/> names the hosts to write.
/// </summary>
internal sealed class CapacityView
{
    private readonly List<HostCapacity> _hosts;
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, IReadOnlySet<string>> _antiAffinity;
    private readonly Dictionary<string, IReadOnlyDictionary<string, int>> _spread;
    private readonly Dictionary<string, string> _holder = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

    public CapacityView(List<HostCapacity> hosts, Dictionary<string, ResourceRegistration> resources, Dictionary<string, HostAllocation> allocations)
    {
        _hosts = hosts;
        _index = hosts.Select((h, i) => (h.HostId, i)).ToDictionary(p => p.HostId, p => p.i, StringComparer.Ordinal);
        Resources = resources;
        Allocations = allocations;
        var antiAffinity = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var spread = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var allocation in allocations.Values)
        {
            foreach (var instance in allocation.Instances)
            {
                _holder[instance.Name] = allocation.HostId;
                if (instance.AntiAffinityGroup is { } group)
                {
                    (antiAffinity.TryGetValue(group, out var hostsOfGroup) ? hostsOfGroup : antiAffinity[group] = new HashSet<string>(StringComparer.Ordinal)).Add(allocation.HostId);
                }

                if (instance.SpreadGroup is { } spreadGroup)
                {
                    var counts = spread.TryGetValue(spreadGroup, out var known) ? known : spread[spreadGroup] = new Dictionary<string, int>(StringComparer.Ordinal);
                    counts[allocation.HostId] = counts.GetValueOrDefault(allocation.HostId) + 1;
                }
            }
        }

        _antiAffinity = antiAffinity.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal);
        _spread = spread.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, int>)p.Value, StringComparer.Ordinal);
        Groups = new PlacementGroups(_antiAffinity, _spread);
    }

    public IReadOnlyList<HostCapacity> Hosts => _hosts;

    /// <summary>The images the usable hosts of <paramref name="zones"/> offer, in name order: a zone's catalogue.</summary>
    public IReadOnlyList<string> ImagesIn(IReadOnlyCollection<string> zones) =>
        [.. _hosts.Where(h => h.Usable && zones.Contains(h.Zone)).SelectMany(h => h.Images).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The hosts placement may choose from: all, or only the one a launch named.</summary>
    public IReadOnlyList<HostCapacity> HostsFor(string? requestedHost) =>
        requestedHost is null ? _hosts : [.. _hosts.Where(h => h.HostId == requestedHost)];

    public PlacementGroups Groups { get; }

    public Dictionary<string, ResourceRegistration> Resources { get; }

    public Dictionary<string, HostAllocation> Allocations { get; }

    public IReadOnlySet<string> Changed => _changed;

    /// <summary>The host already holding a reservation for the instance, if any (one whose record write was lost, say).</summary>
    public string? HostHolding(string name) => _holder.GetValueOrDefault(name);

    /// <summary>Adds the instance to the host's reservations, its totals and its groups.</summary>
    public void Reserve(string tenantId, string hostId, InstanceAllocation instance)
    {
        var current = Allocations.GetValueOrDefault(hostId) ?? new HostAllocation(tenantId, hostId, []);
        Allocations[hostId] = current with { Instances = [.. current.Instances, instance] };
        _holder[instance.Name] = hostId;
        _changed.Add(hostId);
        var at = _index[hostId];
        _hosts[at] = _hosts[at] with
        {
            UsedVirtualCpus = _hosts[at].UsedVirtualCpus + instance.VirtualCpus,
            UsedMemoryMiB = _hosts[at].UsedMemoryMiB + instance.MemoryMiB,
        };
        if (instance.AntiAffinityGroup is { } group)
        {
            _antiAffinity[group] = new HashSet<string>(_antiAffinity.GetValueOrDefault(group) ?? new HashSet<string>(), StringComparer.Ordinal) { hostId };
        }

        if (instance.SpreadGroup is { } spreadGroup)
        {
            var counts = new Dictionary<string, int>(_spread.GetValueOrDefault(spreadGroup) ?? new Dictionary<string, int>(), StringComparer.Ordinal);
            counts[hostId] = counts.GetValueOrDefault(hostId) + 1;
            _spread[spreadGroup] = counts;
        }
    }
}
