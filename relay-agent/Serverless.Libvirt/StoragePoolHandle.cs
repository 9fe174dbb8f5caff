using Microsoft.Win32.SafeHandles;

namespace Serverless.Libvirt;

/// <summary>Owns a virStoragePoolPtr; freeing releases the reference, not the pool.</summary>
internal sealed class StoragePoolHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public StoragePoolHandle(nint pointer)
        : this() => SetHandle(pointer);

    protected override bool ReleaseHandle() => LibvirtNative.virStoragePoolFree(handle) == 0;
}
