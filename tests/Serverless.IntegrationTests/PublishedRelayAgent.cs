using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>The relay agent's release folder for linux-x64, made once by relay-agent/packaging/publish.sh and deleted after.</summary>
public sealed class PublishedRelayAgent : IAsyncLifetime
{
    private static readonly TimeSpan PublishLimit = TimeSpan.FromMinutes(10);

    public string Folder { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Folder = RepositoryPaths.NewScratchFolder("relay-agent-linux-x64");
        await using var publish = ChildProcess.Start(
            "bash", [Path.Combine(RepositoryPaths.Root, "relay-agent", "packaging", "publish.sh"), "linux-x64", Folder], new Dictionary<string, string?>(), RepositoryPaths.Root);
        // A native build on a busy 2-core machine takes minutes; the limit only stops one that hangs.
        if (!await publish.WaitForExitAsync(PublishLimit))
        {
            throw new TimeoutException($"publish.sh did not finish within {PublishLimit.TotalMinutes} min:\n{publish.Output}");
        }

        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"publish.sh exited with {publish.ExitCode}:\n{publish.Output}");
        }

        foreach (var file in new[] { "relay-agent", "install.sh", "relay-agent.service", "appsettings.json", "Profiles" })
        {
            if (!Path.Exists(Path.Combine(Folder, file)))
            {
                throw new InvalidOperationException($"publish.sh made no {file}:\n{publish.Output}");
            }
        }
    }

    public Task DisposeAsync()
    {
        RepositoryPaths.DeleteScratchFolder(Folder);
        return Task.CompletedTask;
    }
}
