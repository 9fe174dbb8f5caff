using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Instances;

namespace Serverless.Functions.Instances;

/// <summary>An instance as the API shows it: the same fields in a provider zone and a client zone.</summary>
public sealed record InstanceResponse(
    string Name,
    LifecycleState State,
    string? Reason,
    string? Zone,
    string? Host,
    InstanceSize Size,
    string? Image,
    bool Adopted,
    InstancePlacement Placement,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Zones,
    string OperationId,
    InstanceAction? PendingAction,
    InstanceState? Observed,
    DateTimeOffset? ObservedAt,
    InstanceVolume? Volume,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static InstanceResponse From(ManagedInstance i) => new(
        i.Name, i.State, i.Reason, i.Zone, i.HostId, new InstanceSize(i.VirtualCpus, i.MemoryMiB), i.Adopted ? null : i.Image, i.Adopted, new InstancePlacement(i.AntiAffinityGroup, i.SpreadGroup, i.RequestedHost),
        i.Tags, i.Zones, i.OperationId, i.PendingAction, i.Observed, i.ObservedAt, i.Volume, i.CreatedAt, i.UpdatedAt);
}
