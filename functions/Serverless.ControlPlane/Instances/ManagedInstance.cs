using System.Text.Json.Serialization;
using Serverless.Contracts.Instances;

namespace Serverless.ControlPlane.Instances;

/// <summary>
/// An instance the API launched (or adopted): its spec, where placement put it, and where it is in its life.
/// <see cref="OperationId"/> names the workflow that owns it now; only that workflow records its steps.
/// </summary>
public sealed record ManagedInstance
{
    public required string TenantId { get; init; }

    public required string Name { get; init; }

    /// <summary>The zones it may run in (its zone or zone selector, resolved at launch).</summary>
    public required IReadOnlyList<string> Zones { get; init; }

    public required int VirtualCpus { get; init; }

    public required int MemoryMiB { get; init; }

    public required string Image { get; init; }

    public string? AntiAffinityGroup { get; init; }

    public string? SpreadGroup { get; init; }

    /// <summary>The one host placement may choose, when the launch named one.</summary>
    public string? RequestedHost { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public required LifecycleState State { get; init; }

    /// <summary>Why it is in its state, when that needs saying (a failure, a drift, a refused action).</summary>
    public string? Reason { get; init; }

    public required string OperationId { get; init; }

    /// <summary>The action its operation is carrying out, until it is recorded done; another action is refused meanwhile.</summary>
    public InstanceAction? PendingAction { get; init; }

    /// <summary>The state the pending action started from.</summary>
    public LifecycleState? Prior { get; init; }

    public string? ClientRequestId { get; init; }

    /// <summary>Made by someone else on its host and adopted (<c>POST /api/v1/instances/adopt</c>), not launched: it has no image.</summary>
    public bool Adopted { get; init; }

    /// <summary>The zone placement chose.</summary>
    public string? Zone { get; init; }

    /// <summary>The registered host placement chose.</summary>
    public string? HostId { get; init; }

    /// <summary>The host's libvirt URI, which commands name.</summary>
    public string? HostUri { get; init; }

    /// <summary>Its disk, once cloned.</summary>
    public InstanceVolume? Volume { get; init; }

    /// <summary>What the host last reported of its domain, and when.</summary>
    public InstanceState? Observed { get; init; }

    public DateTimeOffset? ObservedAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public string? ETag { get; init; }

    /// <summary>The id agents keep in the domain's metadata.</summary>
    [JsonIgnore]
    public string InstanceId => $"{TenantId}/{Name}";

    /// <summary>Whether it holds capacity on its host (everything but terminated and failed).</summary>
    [JsonIgnore]
    public bool HoldsCapacity => State is not (LifecycleState.Terminated or LifecycleState.Failed);
}
