using System.ComponentModel.DataAnnotations;

namespace Serverless.ControlPlane.Placement;

/// <summary>How much of a host placement may promise (section <c>Placement</c>).</summary>
public sealed class PlacementOptions
{
    public const string SectionName = "Placement";

    /// <summary>vCPUs per host CPU: guests rarely use all of theirs at once, so hypervisors overcommit CPU.</summary>
    [Range(1.0, 64.0)]
    public double CpuOvercommit { get; set; } = 4.0;

    /// <summary>Memory promised per MiB the host has: 1 by default, since memory overcommit swaps or kills guests.</summary>
    [Range(0.1, 4.0)]
    public double MemoryOvercommit { get; set; } = 1.0;
}
