namespace Serverless.Testing;

/// <summary>
/// The Service Bus emulator as its own process (<c>--config FILE --port N</c>) on a free loopback port, with its config
/// in a scratch folder. Connection strings use the official emulator's well-known development key unless a test names
/// an entity key.
/// </summary>
public sealed class ServiceBusEmulatorProcess : IAsyncDisposable
{
    public const string DevelopmentKeyName = "RootManageSharedAccessKey";
    public const string DevelopmentKey = "SAS_KEY_VALUE";

    private readonly ChildProcess _process;
    private readonly string _folder;

    private ServiceBusEmulatorProcess(ChildProcess process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public string Output => _process.Output;

    public string ConnectionString => ConnectionStringFor(DevelopmentKeyName, DevelopmentKey);

    public string ConnectionStringFor(string keyName, string key, string? entityPath = null) =>
        $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName={keyName};SharedAccessKey={key};" +
        (entityPath is null ? string.Empty : $"EntityPath={entityPath};") + "UseDevelopmentEmulator=true;";

    /// <summary>Starts the emulator with <paramref name="configJson"/> (the official emulator's Config.json shape).</summary>
    public static async Task<ServiceBusEmulatorProcess> StartAsync(string configJson)
    {
        if (!File.Exists(RepositoryPaths.ServiceBusEmulatorAssembly))
        {
            throw new InvalidOperationException($"{RepositoryPaths.ServiceBusEmulatorAssembly} is missing; build the solution first.");
        }

        var folder = RepositoryPaths.NewScratchFolder("servicebus");
        var config = Path.Combine(folder, "Config.json");
        await File.WriteAllTextAsync(config, configJson);
        var port = FreePorts.Next();
        var process = ChildProcess.Start("dotnet", [RepositoryPaths.ServiceBusEmulatorAssembly, "--config", config, "--port", $"{port}"], new Dictionary<string, string?>(), folder);
        var started = new ServiceBusEmulatorProcess(process, folder, port);
        try
        {
            await FreePorts.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), () => !process.HasExited);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            var output = process.Output;
            await started.DisposeAsync();
            throw new InvalidOperationException($"The Service Bus emulator did not start:\n{output}", exception);
        }

        return started;
    }

    /// <summary>kill -9 of exactly the process this fixture started.</summary>
    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        RepositoryPaths.DeleteScratchFolder(_folder);
    }
}
