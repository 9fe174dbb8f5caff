using Microsoft.Win32.SafeHandles;

namespace Serverless.Libvirt;

/// <summary>Owns a virStorageVolPtr; freeing releases the reference, not the volume.</summary>
internal sealed class StorageVolumeHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public StorageVolumeHandle(nint pointer)
        : this() => SetHandle(pointer);

    protected override bool ReleaseHandle() => LibvirtNative.virStorageVolFree(handle) == 0;
}
