using Microsoft.Win32.SafeHandles;

namespace Serverless.Libvirt;

/// <summary>Owns a virConnectPtr; closing releases libvirt's reference.</summary>
internal sealed class ConnectionHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public ConnectionHandle(nint pointer)
        : this() => SetHandle(pointer);

    protected override bool ReleaseHandle() => LibvirtNative.virConnectClose(handle) >= 0;
}
