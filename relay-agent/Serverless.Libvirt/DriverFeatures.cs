namespace Serverless.Libvirt;

/// <summary>
/// Which drivers implement virDomainSave/virDomainRestore and virDomainSuspend/virDomainResume, from libvirt's
/// hypervisor API support matrix (libvirt.org/hvsupport.html). libvirt has no call that answers this without a domain
/// to try it on, and trying it on a production host is not acceptable during verification; a driver not listed
/// counts as supporting neither, so verification errs towards refusing.
/// </summary>
internal static class DriverFeatures
{
    public static (bool SaveRestore, bool SuspendResume) For(string driverType) => driverType.ToUpperInvariant() switch
    {
        "QEMU" or "TEST" or "XEN" or "LIBXL" or "VZ" or "PARALLELS" => (true, true),
        "VBOX" or "ESX" or "HYPER-V" or "LXC" or "CH" => (false, true),
        _ => (false, false),
    };
}
