namespace Serverless.Testing;

/// <summary>
/// Azurite (installed by the setup script into node_modules) on free loopback ports, its data in memory only: nothing
/// that starts it needs its data after it stops, and Azurite's on-disk table store saves its whole database every few
/// seconds, a cost that grows with the rows (a benchmark's hundreds of thousands) and that Azure Table storage does not have.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ChildProcess _process;
    private readonly string _folder;

    private AzuriteProcess(ChildProcess process, string folder, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _folder = folder;
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    public int ProcessId => _process.Id;

    public static async Task<AzuriteProcess> StartAsync()
    {
        var azurite = Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {azurite}; run scripts/test.sh (or npm ci) first.");
        }

        var folder = RepositoryPaths.NewScratchFolder("azurite");
        var (blob, queue, table) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        var process = ChildProcess.Start(
            azurite,
            ["--silent", "--skipApiVersionCheck", "--inMemoryPersistence",
             "--blobPort", $"{blob}", "--queuePort", $"{queue}", "--tablePort", $"{table}",
             "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1"],
            new Dictionary<string, string?>(),
            folder);
        var started = new AzuriteProcess(process, folder, blob, queue, table);
        try
        {
            foreach (var port in new[] { blob, queue, table })
            {
                await FreePorts.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), () => !process.HasExited);
            }
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }

        return started;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        RepositoryPaths.DeleteScratchFolder(_folder);
    }
}
