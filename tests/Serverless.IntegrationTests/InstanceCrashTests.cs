using System.Globalization;
using System.Net;
using System.Text.Json;
using Serverless.Testing;
using Xunit.Abstractions;

namespace Serverless.IntegrationTests;

/// <summary>
/// kill -9 of the local host before and after every step of an instance launch. A crash-free launch is read back from
/// the task hub's history for the activities it ran and the agent's answers it heard; then for each activity, in both
/// places (before it runs; after it ran and before its result is stored), for each answer (heard, and what the
/// orchestration made of it not yet stored) and before each timer it creates (a command wait's slice), the host is
/// started told to kill itself there, a launch is made, the host is started again without the fault, and the launch
/// must end as the crash-free one did: running on the same host, the agent having defined and started it exactly once,
/// and the host (as its agent lists it) running each launched instance once.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class InstanceCrashTests(CrashFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Zone = "icr-dc";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly string _folder = RepositoryPaths.NewScratchFolder("instance-crash");
    private RelayAgentProcess? _agent;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await fixture.Host.RestoreDefaultsAsync();

        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        RepositoryPaths.DeleteScratchFolder(_folder);
    }

    [Fact]
    public async Task KilledBeforeAndAfterEveryStepOfALaunch_TheInstanceRunsOnce_AsAfterACrashFreeLaunch()
    {
        using var client = fixture.Host.CreateClient();
        var uri = TestDriverNode.WriteWithImages(_folder);
        _agent = await fixture.StartAgentAsync($"agent-{Zone}", Zone, new Dictionary<string, string>(TestDriverNode.ImageSettings)
        {
            ["RelayAgent__Libvirt__Uris__0"] = uri,
        });
        var host = await Api.RegisteredAsync(client, Zone, $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}","serviceCategories":["compute"]}""");

        using var first = await LaunchAsync(client, "icr-0");
        var operationId = (await InstanceCalls.WaitAsync(client, first, Deadline)).GetProperty("id").GetString()!;
        var crashFree = await InstanceCalls.GetAsync(client, "icr-0");
        var killPoints = await DurableHistory.KillPointsAsync(
            fixture.Azurite, fixture.Host.HubName, $"{CommandChannelFixture.TenantId}.{operationId}", KillPlaces.Boundaries);
        var names = killPoints.Select(k => k.Value).ToList();
        Assert.True(names.Count >= 12 && names[0] == "ReserveInstances#1" && names.Contains("SendCommands#2") && killPoints.Count(k => k.Setting == "KillAfterEvent") == 2,
            $"a launch reserves, sends define and start, hears both and records twice; the history says {string.Join(", ", killPoints)}");

        var launched = new List<string> { "icr-0" };
        foreach (var killPoint in CrashMatrix.Select(killPoints, output))
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"icr-{launched.Count}");
            var (defines, starts) = (Count("instance.define"), Count("instance.start"));
            await fixture.StartDoomedHostAsync(killPoint);

            using var accepted = await LaunchAsync(client, name);
            await fixture.RestartAfterKillAsync(killPoint);
            await InstanceCalls.WaitAsync(client, accepted, Deadline);
            launched.Add(name);

            var instance = await InstanceCalls.GetAsync(client, name);
            Assert.True(Describe(instance) == Describe(crashFree), $"{killPoint}: {instance} against the crash-free {crashFree}");
            Assert.True((Count("instance.define"), Count("instance.start")) == (defines + 1, starts + 1),
                $"{killPoint}: the agent defined {Count("instance.define") - defines} and started {Count("instance.start") - starts} times");
        }

        await HostDomains.WaitForAsync(client, host, [.. launched.Select(n => $"{n}:running").Order(StringComparer.Ordinal)]);
    }

    /// <summary>Asks for a launch; the 202 names the operation to wait for.</summary>
    private static async Task<HttpResponseMessage> LaunchAsync(HttpClient client, string name)
    {
        var response = await client.PostAsync(new Uri("api/v1/instances", UriKind.Relative), Api.Json(
            $$"""{"name":"{{name}}","zone":"{{Zone}}","size":{"vcpus":1,"memoryMiB":128},"image":"{{TestDriverNode.Image}}"}"""));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return response;
    }

    /// <summary>What a launch decides, the name aside: where the instance runs, its state and size.</summary>
    private static string Describe(JsonElement instance) =>
        string.Join(" ", new[] { "zone", "hostId", "state", "size" }.Select(p => instance.TryGetProperty(p, out var value) ? value.ToString() : "-"));

    private int Count(string kind) => _agent!.JournalEntries().Count(e => e.Kind == kind);
}
