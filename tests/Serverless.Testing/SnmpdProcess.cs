using System.Net;
using System.Net.Sockets;

namespace Serverless.Testing;

/// <summary>
/// A real net-snmp agent (<c>snmpd</c>, installed by the setup script) on a free loopback UDP port with its own
/// configuration and persistent-state folder: community <c>public</c> read-only and <c>private</c> read-write.
/// </summary>
public sealed class SnmpdProcess : IAsyncDisposable
{
    public const string ReadCommunity = "public";
    public const string WriteCommunity = "private";

    private readonly ChildProcess _process;
    private readonly string _folder;

    private SnmpdProcess(ChildProcess process, string folder, IPEndPoint endPoint)
    {
        _process = process;
        _folder = folder;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public int ProcessId => _process.Id;

    public string Output => _process.Output;

    /// <summary>
    /// Starts snmpd with the test communities plus <paramref name="extraConfig"/> lines, on 127.0.0.1 or, with
    /// <paramref name="ipv6"/>, on ::1, and waits until it answers.
    /// </summary>
    public static async Task<SnmpdProcess> StartAsync(string extraConfig = "", bool ipv6 = false)
    {
        var snmpd = new[] { "/usr/sbin/snmpd", "/usr/local/sbin/snmpd" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("snmpd is not installed; run scripts/setup.sh (it installs the Debian package snmpd).");
        var folder = RepositoryPaths.NewScratchFolder("snmpd");
        var loopback = ipv6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        var port = FreePorts.Udp(loopback);
        var source = ipv6 ? "::1" : "127.0.0.1";
        var config = Path.Combine(folder, "snmpd.conf");
        await File.WriteAllTextAsync(config, $"""
            {(ipv6 ? "rocommunity6" : "rocommunity")} {ReadCommunity} {source}
            {(ipv6 ? "rwcommunity6" : "rwcommunity")} {WriteCommunity} {source}
            sysServices 72
            {extraConfig}
            """);
        var process = ChildProcess.Start(
            snmpd,
            ["-f", "-Lo", "-C", "-c", config, "-p", Path.Combine(folder, "snmpd.pid"), ipv6 ? $"udp6:[::1]:{port}" : $"udp:127.0.0.1:{port}"],
            new Dictionary<string, string?> { ["SNMP_PERSISTENT_DIR"] = Directory.CreateDirectory(Path.Combine(folder, "persist")).FullName, ["MIBS"] = string.Empty },
            folder);
        var started = new SnmpdProcess(process, folder, new IPEndPoint(loopback, port));
        try
        {
            await started.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(20));
        }
        catch
        {
            var output = process.Output;
            await started.DisposeAsync();
            throw new InvalidOperationException($"snmpd did not start:\n{output}");
        }

        return started;
    }

    /// <summary>kill -9 of exactly the process this fixture started.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGSTOP: the device keeps its port but answers nothing until <see cref="ThawAsync"/>, like one that hangs.</summary>
    public Task FreezeAsync() => _process.SignalAsync("STOP");

    /// <summary>SIGCONT: the frozen device answers again.</summary>
    public Task ThawAsync() => _process.SignalAsync("CONT");

    /// <summary>SIGTERM, on which snmpd writes its persistent state (for example its users' localized keys).</summary>
    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(10));

    /// <summary>The persistent state file snmpd wrote, empty if it wrote none.</summary>
    public string PersistentState()
    {
        var path = Path.Combine(_folder, "persist", "snmpd.conf");
        return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        RepositoryPaths.DeleteScratchFolder(_folder);
    }

    // A hand-made v2c GET of sysUpTime.0; any answer from the port means the agent is up.
    private async Task WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        byte[] probe = [0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, .. "public"u8, 0xA0, 0x19, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
            0x30, 0x0E, 0x30, 0x0C, 0x06, 0x08, 0x2B, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00, 0x05, 0x00];
        using var socket = new UdpClient(EndPoint.AddressFamily);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("snmpd exited");
            }

            await socket.SendAsync(probe, EndPoint);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await socket.ReceiveAsync(wait.Token);
                return;
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException)
            {
            }
        }

        throw new TimeoutException($"snmpd did not answer on {EndPoint} within {timeout.TotalSeconds:0} s");
    }
}
