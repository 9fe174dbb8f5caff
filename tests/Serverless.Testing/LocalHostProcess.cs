using System.Net.Http.Headers;

namespace Serverless.Testing;

/// <summary>
/// The real local Functions host (the built Serverless.Functions.LocalHost) as a child process on a free port, against
/// a given Azurite, on its own task hub. It can be killed with SIGKILL and started again on the same port and hub.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    public const string MasterKey = "test-master-key";
    public const string FunctionKey = "test-function-key";

    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly string _folder;
    private ChildProcess? _process;
    private bool _startedWithOnceSettings;

    private LocalHostProcess(int port, IReadOnlyDictionary<string, string?> environment, string folder)
    {
        Port = port;
        _environment = environment;
        _folder = folder;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string HubName => _environment["DurableTask__HubName"]!;

    public int ProcessId => _process?.Id ?? 0;

    public string Output => _process?.Output ?? string.Empty;

    /// <summary>Starts a host; <paramref name="settings"/> are app settings (environment variables) on top of the test defaults.</summary>
    public static async Task<LocalHostProcess> StartAsync(AzuriteProcess azurite, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DurableTask__HubName"] = "t" + Guid.NewGuid().ToString("N")[..12],
            ["HistoryPurge__Schedule"] = "0 0 3 * * *",
            ["Connectivity__Schedule"] = "*/30 * * * * *",
            ["Pools__Schedule"] = "*/30 * * * * *",
            ["Instances__ReconcileSchedule"] = "0 * * * * *",
            ["Pools__MetricsPurgeSchedule"] = "0 */10 * * * *",
            ["HistoryPurge__RetentionHours"] = "168",
            ["Registration__VerificationTimeoutSeconds"] = "120",
            ["Tenancy__DefaultTenantId"] = "default",
            ["LocalHost__MasterKey"] = MasterKey,
            ["LocalHost__FunctionKey"] = FunctionKey,
            ["LocalHost__MaxQueuePollingInterval"] = "00:00:00.250",
            ["LocalHost__WorkerId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var host = new LocalHostProcess(FreePorts.Next(), environment, RepositoryPaths.NewScratchFolder("localhost"));
        await host.StartAgainAsync();
        return host;
    }

    /// <summary>
    /// Starts the host process (again) on the same port, hub and worker id; <paramref name="once"/> are settings for this
    /// start only (a fault to inject, say).
    /// </summary>
    public async Task StartAgainAsync(IReadOnlyDictionary<string, string>? once = null)
    {
        if (!File.Exists(RepositoryPaths.LocalHostAssembly))
        {
            throw new InvalidOperationException($"{RepositoryPaths.LocalHostAssembly} is missing; build the solution first.");
        }

        var environment = new Dictionary<string, string?>(_environment);
        foreach (var (name, value) in once ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        _process = ChildProcess.Start("dotnet", [RepositoryPaths.LocalHostAssembly, "--port", $"{Port}"], environment, _folder);
        _startedWithOnceSettings = once is { Count: > 0 };
        using var client = CreateClient(MasterKey);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The local host exited during start:\n{_process.Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("admin/host/status", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The local host did not answer within 60 s:\n{_process.Output}");
            }

            await Task.Delay(100);
        }
    }

    public bool HasExited => _process?.HasExited ?? true;

    /// <summary>
    /// Leaves the host running with the test defaults: started again if it has exited, killed and started again if it
    /// still runs with one-off settings (a fault it was told to inject that never fired would otherwise kill it during
    /// the next test sharing it).
    /// </summary>
    public async Task RestoreDefaultsAsync()
    {
        if (!HasExited && _startedWithOnceSettings)
        {
            await KillAsync();
        }

        if (HasExited)
        {
            await StartAgainAsync();
        }
    }

    /// <summary>The last lines the host wrote, for a failure message.</summary>
    public string OutputTail(int lines = 40) => string.Join('\n', Output.Split('\n').TakeLast(lines));

    /// <summary>Waits for the process to end by itself (as a host told to kill itself does).</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process?.WaitForExitAsync(timeout) ?? Task.FromResult(true);

    /// <summary>kill -9 of exactly the process this fixture started.</summary>
    public Task KillAsync() => _process?.KillAsync() ?? Task.CompletedTask;

    public HttpClient CreateClient(string? key = FunctionKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", key);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        RepositoryPaths.DeleteScratchFolder(_folder);
    }
}
