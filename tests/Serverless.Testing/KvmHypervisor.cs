namespace Serverless.Testing;

/// <summary>
/// libvirtd with its QEMU/KVM driver on this machine (root, <c>/dev/kvm</c>): an already running daemon is used as it
/// is; otherwise virtlogd and libvirtd are started in the foreground as children and stopped by their pids. What the
/// QEMU driver needs outside systemd (its groups and user, the log folder, group kvm on /dev/kvm) is made first.
/// </summary>
public sealed class KvmHypervisor : IAsyncDisposable
{
    public const string Uri = "qemu:///system";
    private const string Socket = "/run/libvirt/libvirt-sock";
    private readonly List<ChildProcess> _started = [];
    private string? _folder;

    private KvmHypervisor()
    {
    }

    /// <summary>Why KVM tests cannot run here, or null when they can.</summary>
    public static string? Unavailable()
    {
        if (!File.Exists("/dev/kvm"))
        {
            return "this machine has no /dev/kvm (no hardware virtualization), so no real KVM guest can run";
        }

        var missing = new[] { "/usr/sbin/libvirtd", "/usr/sbin/virtlogd", "/usr/bin/virsh", "/usr/bin/qemu-img" }.Where(p => !File.Exists(p)).ToList();
        return missing.Count > 0 ? $"missing {string.Join(", ", missing)}: scripts/setup.sh installs them where /dev/kvm exists" : null;
    }

    public static async Task<KvmHypervisor> StartAsync()
    {
        // QEMU runs as libvirt-qemu, in group kvm; outside systemd no udev rule gives that group /dev/kvm.
        await RunAsync("sh", "-c", "getent group kvm >/dev/null || groupadd -r kvm; getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu; "
            + "id libvirt-qemu >/dev/null 2>&1 || useradd -r -g libvirt-qemu -G kvm -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu; "
            + "mkdir -p /var/log/libvirt; chgrp kvm /dev/kvm && chmod 0660 /dev/kvm");
        var hypervisor = new KvmHypervisor();
        if (await RunAsync("virsh", "-c", Uri, "version") == 0)
        {
            return hypervisor;
        }

        var folder = hypervisor._folder = RepositoryPaths.NewScratchFolder("libvirtd");
        hypervisor._started.Add(ChildProcess.Start("/usr/sbin/virtlogd", [], new Dictionary<string, string?>(), folder));
        await Eventually.TrueAsync(() => File.Exists("/run/libvirt/virtlogd-sock"), TimeSpan.FromSeconds(15), "virtlogd's socket");
        hypervisor._started.Add(ChildProcess.Start("/usr/sbin/libvirtd", [], new Dictionary<string, string?>(), folder));
        await Eventually.GetAsync(async () => File.Exists(Socket) && await RunAsync("virsh", "-c", Uri, "version") == 0 ? "up" : null, TimeSpan.FromSeconds(30), "libvirtd to answer");
        return hypervisor;
    }

    /// <summary>Runs virsh against the hypervisor; its output, or an exception with it when it fails.</summary>
    public static async Task<string> VirshAsync(params string[] arguments)
    {
        var (code, output) = await RunWithOutputAsync("virsh", ["-c", Uri, .. arguments]);
        return code == 0 ? output : throw new InvalidOperationException($"virsh {string.Join(' ', arguments)} failed ({code}): {output}");
    }

    /// <summary>Whether virsh succeeds (for "is it gone" checks).</summary>
    public static async Task<bool> VirshSucceedsAsync(params string[] arguments) => (await RunWithOutputAsync("virsh", ["-c", Uri, .. arguments])).Code == 0;

    /// <summary>
    /// Removes what a test or bench made, whatever state it is in: the domain destroyed and undefined (when given), then
    /// the storage pools stopped (transient pools: gone with that). What is already gone is skipped.
    /// </summary>
    public static async Task RemoveAsync(string? domain, params string[] pools)
    {
        if (domain is not null)
        {
            await VirshSucceedsAsync("destroy", domain);
            await VirshSucceedsAsync("undefine", domain);
        }

        foreach (var pool in pools)
        {
            await VirshSucceedsAsync("pool-destroy", pool);
        }
    }

    public static async Task<int> RunAsync(string file, params string[] arguments) => (await RunWithOutputAsync(file, arguments)).Code;

    public async ValueTask DisposeAsync()
    {
        // libvirtd first: it holds virtlogd's log pipes.
        foreach (var process in Enumerable.Reverse(_started))
        {
            await process.DisposeAsync();
        }

        if (_folder is not null)
        {
            RepositoryPaths.DeleteScratchFolder(_folder);
        }
    }

    private static async Task<(int Code, string Output)> RunWithOutputAsync(string file, IReadOnlyList<string> arguments)
    {
        var run = await ChildProcess.RunAsync(file, arguments, new Dictionary<string, string?>(), Environment.CurrentDirectory, TimeSpan.FromSeconds(120));
        return (run.ExitCode, run.Output + run.Error);
    }
}
