using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// A test's own sites: a scratch folder for its test-driver hosts and the agents it started, all stopped and removed
/// with it. <see cref="HostZoneAsync"/> makes the usual one: a zone, its agent on one test-driver host, registered.
/// </summary>
internal sealed class TestSites(CommandChannelFixture fixture, string name) : IAsyncDisposable
{
    private readonly List<RelayAgentProcess> _agents = [];

    public string Folder { get; } = RepositoryPaths.NewScratchFolder(name);

    /// <summary>A test-driver host's libvirt URI (its node file in a folder of its own, with the images).</summary>
    public string NewHostUri(string host) => TestDriverNode.WriteWithImages(Directory.CreateDirectory(Path.Combine(Folder, host)).FullName);

    public async Task<RelayAgentProcess> StartAgentAsync(string agentId, string zone, IReadOnlyDictionary<string, string>? environment = null)
    {
        var agent = await fixture.StartAgentAsync(agentId, zone, environment);
        _agents.Add(agent);
        return agent;
    }

    /// <summary>Creates the zone, starts its agent on a new test-driver host and registers the host; returns the host's id.</summary>
    public async Task<string> HostZoneAsync(
        HttpClient client, string zone, string kind = "client", string categories = """["compute","migration"]""", IReadOnlyDictionary<string, string>? agentEnvironment = null)
    {
        var uri = NewHostUri(zone);
        await Api.CreateZoneAsync(client, zone, kind);
        var environment = new Dictionary<string, string>(TestDriverNode.ImageSettings) { ["RelayAgent__Libvirt__Uris__0"] = uri };
        foreach (var (setting, value) in agentEnvironment ?? new Dictionary<string, string>())
        {
            environment[setting] = value;
        }

        await StartAgentAsync($"agent-{zone}", zone, environment);
        return await Api.RegisteredAsync(client, zone, $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}","serviceCategories":{{categories}}}""");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        RepositoryPaths.DeleteScratchFolder(Folder);
    }
}
