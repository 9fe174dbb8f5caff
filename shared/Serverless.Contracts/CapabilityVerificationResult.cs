using Serverless.Contracts.Instances;

namespace Serverless.Contracts;

/// <summary>What a relay agent found when it tested a candidate resource: the output of <c>capabilities.verify</c>.</summary>
/// <param name="SchemaVersion">Schema version of this message, see <see cref="SchemaVersions"/>.</param>
/// <param name="CommandId">The verification command this answers.</param>
/// <param name="Reachable">Whether the agent could reach and authenticate to the resource at all.</param>
/// <param name="Capabilities">Verified facts, for example hypervisor type and version.</param>
/// <param name="Problems">Every reason the resource falls short, in words an operator can act on.</param>
/// <param name="Instances">A virtualization host's instances (libvirt domains) when it was read; null for appliances.</param>
public sealed record CapabilityVerificationResult(
    int SchemaVersion,
    string CommandId,
    bool Reachable,
    IReadOnlyDictionary<string, string> Capabilities,
    IReadOnlyList<string> Problems,
    IReadOnlyList<HostInstance>? Instances = null);
