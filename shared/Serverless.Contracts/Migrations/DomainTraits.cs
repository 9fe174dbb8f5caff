namespace Serverless.Contracts.Migrations;

/// <summary>
/// What a restored domain needs of its new host, read from the source domain's definition: a restore has live
/// migration's compatibility rules.
/// </summary>
/// <param name="Architecture">The guest's architecture (<c>x86_64</c>).</param>
/// <param name="DomainType">libvirt's domain type (<c>kvm</c>, <c>qemu</c>, <c>test</c>).</param>
/// <param name="Machine">The machine type as defined (<c>pc-i440fx-7.2</c>); null when the domain names none.</param>
/// <param name="CpuMode">The CPU mode (<c>custom</c>, <c>host-model</c>, <c>host-passthrough</c>); null when it names none.</param>
/// <param name="CpuModel">The CPU model of a custom CPU; null otherwise.</param>
/// <param name="Cpu">The domain's whole <c>&lt;cpu&gt;</c> element as it runs (model and feature policies), which the target's hypervisor must be able to provide; null when it has none.</param>
public sealed record DomainTraits(string Architecture, string DomainType, string? Machine, string? CpuMode, string? CpuModel, string? Cpu);
