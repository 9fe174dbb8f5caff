namespace Serverless.Libvirt;

/// <summary>One guest architecture a host can run.</summary>
/// <param name="Architecture">For example <c>x86_64</c> or <c>i686</c>.</param>
/// <param name="OsType"><c>hvm</c> (full virtualization), <c>xen</c>, <c>exe</c> (containers), ….</param>
/// <param name="DomainTypes">The domain types for it, for example <c>kvm</c> and <c>qemu</c>.</param>
/// <param name="Machines">The machine types it offers, by name and by canonical name (<c>pc</c>, <c>pc-i440fx-7.2</c>).</param>
public sealed record GuestCapability(string Architecture, string OsType, IReadOnlyList<string> DomainTypes, IReadOnlyList<string> Machines);
