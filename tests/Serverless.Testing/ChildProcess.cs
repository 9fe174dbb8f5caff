using System.Collections.Concurrent;
using System.Diagnostics;

namespace Serverless.Testing;

/// <summary>
/// A process a test started, in a process group of its own (<c>setsid</c>): output captured for diagnostics, stopped by
/// its own pid (never by name), with whatever it started in turn. If the test process dies without stopping it (kill -9,
/// a crashed or timed-out run), <c>scripts/test-watchdog.sh</c>, started once per test process, kills its group.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly Lock WatchLock = new();
    private static string? _watchFile;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private string? _watchLine;

    private ChildProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The file this test process lists its running children in, for the watchdog ("pid start-time" lines).</summary>
    public static string WatchFile
    {
        get
        {
            lock (WatchLock)
            {
                return _watchFile ??= StartWatchdog();
            }
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process has exited.</summary>
    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _output);

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory)
    {
        var child = Launch(fileName, arguments, environment, workingDirectory);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Runs a short-lived program to its end under the same watch, its standard output and error kept whole and apart
    /// (<see cref="Output"/> keeps a merged tail only). After <paramref name="timeout"/> it is killed with whatever it
    /// started, and a <see cref="TimeoutException"/> says so.
    /// </summary>
    public static async Task<ChildRun> RunAsync(
        string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory, TimeSpan timeout)
    {
        var argumentList = arguments.ToList();
        await using var child = Launch(fileName, argumentList, environment, workingDirectory);
        var output = child._process.StandardOutput.ReadToEndAsync();
        var error = child._process.StandardError.ReadToEndAsync();
        if (!await child.WaitForExitAsync(timeout))
        {
            await child.KillAsync();
            throw new TimeoutException($"{fileName} {string.Join(' ', argumentList)} did not exit within {timeout.TotalSeconds:0} s.");
        }

        return new ChildRun(child.ExitCode, await output, await error);
    }

    private static ChildProcess Launch(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory)
    {
        // setsid execs the program in a new session and process group (no fork: a freshly started child leads no
        // group), so the pid is the program's own and the group holds everything it starts.
        var info = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        // Line events come only after BeginOutputReadLine/BeginErrorReadLine, which RunAsync does not call.
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        var watchFile = WatchFile;
        process.Start();
        if (ProcessStat.StartTime(process.Id) is { } started)
        {
            child._watchLine = $"{process.Id} {started}";
            lock (WatchLock)
            {
                File.AppendAllLines(watchFile, [child._watchLine]);
            }
        }

        return child;
    }

    /// <summary>Waits for the process to exit on its own; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Sends a signal (STOP, CONT, …) to exactly this process.</summary>
    public async Task SignalAsync(string signal)
    {
        using var sent = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await sent.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then SIGKILL if the process has not exited within the grace period.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        using var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await terminate.WaitForExitAsync();
        if (!await WaitForExitAsync(grace))
        {
            await KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        if (_watchLine is { } line)
        {
            lock (WatchLock)
            {
                File.WriteAllLines(WatchFile, File.ReadAllLines(WatchFile).Where(l => l != line));
            }
        }

        _process.Dispose();
    }

    private static string StartWatchdog()
    {
        var folder = Path.Combine(RepositoryPaths.Root, ".local", "test-runs");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"children-{Environment.ProcessId}.txt");
        File.WriteAllText(file, string.Empty);
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in new[] { "bash", Path.Combine(RepositoryPaths.Root, "scripts", "test-watchdog.sh"), $"{Environment.ProcessId}", file })
        {
            info.ArgumentList.Add(argument);
        }

        Process.Start(info)!.Dispose();
        return file;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        // Keep the tail only: a chatty process must not grow the test's memory without bound.
        while (_output.Count > 2000 && _output.TryDequeue(out _))
        {
        }
    }
}
