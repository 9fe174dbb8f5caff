using Microsoft.Win32.SafeHandles;

namespace Serverless.Libvirt;

/// <summary>Owns a virDomainPtr; freeing releases the reference, not the domain.</summary>
internal sealed class DomainHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public DomainHandle(nint pointer)
        : this() => SetHandle(pointer);

    protected override bool ReleaseHandle() => LibvirtNative.virDomainFree(handle) == 0;
}
