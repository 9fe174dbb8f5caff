using System.Globalization;

namespace Serverless.Testing;

/// <summary>
/// The built relay agent as a child process, configured through environment variables as in production, with its
/// execution journal and migration state folder in a scratch folder. It can be killed with SIGKILL or stopped with SIGTERM.
/// </summary>
public sealed class RelayAgentProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _folder;

    private RelayAgentProcess(ChildProcess process, string folder, string journalPath, RelayAgentSettings settings)
    {
        _process = process;
        _folder = folder;
        JournalPath = journalPath;
        Settings = settings;
    }

    public RelayAgentSettings Settings { get; }

    public string JournalPath { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public string Output => _process.Output;

    /// <summary>Starts the agent and waits until it either holds its group's session or stands by for it.</summary>
    public static async Task<RelayAgentProcess> StartAsync(RelayAgentSettings settings)
    {
        var program = settings.Executable ?? RepositoryPaths.RelayAgentAssembly;
        if (!File.Exists(program))
        {
            throw new InvalidOperationException($"{program} is missing; {(settings.Executable is null ? "build the solution" : "publish the agent")} first.");
        }

        var folder = RepositoryPaths.NewScratchFolder($"agent-{settings.AgentId}");
        var journal = Path.Combine(folder, "journal.tsv");
        var environment = new Dictionary<string, string?>
        {
            ["RelayAgent__AgentId"] = settings.AgentId,
            ["RelayAgent__AgentGroup"] = settings.AgentGroup,
            ["RelayAgent__TenantId"] = settings.TenantId,
            ["RelayAgent__ServiceBusConnection"] = settings.ServiceBusConnection,
            ["RelayAgent__QueueName"] = settings.QueueName,
            ["RelayAgent__ControlPlaneUrl"] = settings.ControlPlaneUrl.ToString(),
            ["RelayAgent__Credential"] = settings.Credential,
            ["RelayAgent__StandbyRetrySeconds"] = settings.StandbyRetrySeconds.ToString(CultureInfo.InvariantCulture),
            ["RelayAgent__HeartbeatIntervalSeconds"] = settings.HeartbeatIntervalSeconds.ToString(CultureInfo.InvariantCulture),
            ["RelayAgent__JournalPath"] = journal,
            ["RelayAgent__Libvirt__StateDirectory"] = Path.Combine(folder, "migrations"),
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        foreach (var (name, value) in settings.Environment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var process = settings.Executable is { } executable
            ? ChildProcess.Start(executable, [], environment, folder)
            : ChildProcess.Start("dotnet", [RepositoryPaths.RelayAgentAssembly], environment, folder);
        var agent = new RelayAgentProcess(process, folder, journal, settings);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!process.Output.Contains("Holding session", StringComparison.Ordinal) && !process.Output.Contains("standing by", StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = process.Output;
                await agent.DisposeAsync();
                throw new InvalidOperationException($"The relay agent {settings.AgentId} did not take or wait for its session:\n{output}");
            }

            await Task.Delay(50);
        }

        return agent;
    }

    /// <summary>The command ids this agent executed, in order (replayed results are not executions).</summary>
    public IReadOnlyList<string> ExecutedCommandIds() => [.. JournalEntries().Select(e => e.CommandId)];

    /// <summary>The journal's commands: id, kind, and when the control plane issued each (the envelope's <c>issuedAt</c>).</summary>
    public IReadOnlyList<(string CommandId, string Kind, DateTimeOffset IssuedAt)> JournalEntries() =>
        File.Exists(JournalPath)
            ? [.. File.ReadAllLines(JournalPath).Where(l => l.Length > 0).Select(l => l.Split('\t'))
                .Select(f => (f[1], f[3], DateTimeOffset.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture)))]
            : [];

    /// <summary>kill -9 of exactly the process this fixture started.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGSTOP: the agent keeps its session and connections but does nothing until <see cref="ThawAsync"/>.</summary>
    public Task FreezeAsync() => _process.SignalAsync("STOP");

    /// <summary>SIGCONT: a frozen agent goes on where it stopped.</summary>
    public Task ThawAsync() => _process.SignalAsync("CONT");

    /// <summary>SIGTERM, then SIGKILL after the grace period.</summary>
    public Task StopAsync(TimeSpan grace) => _process.StopAsync(grace);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        RepositoryPaths.DeleteScratchFolder(_folder);
    }
}
