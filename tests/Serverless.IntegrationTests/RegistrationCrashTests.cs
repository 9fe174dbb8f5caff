using System.Globalization;
using System.Net;
using System.Text.Json;
using Serverless.Testing;
using Xunit.Abstractions;

namespace Serverless.IntegrationTests;

/// <summary>
/// kill -9 of the local host at every step boundary of a registration and of an unregistration, the boundaries read
/// from a crash-free run's durable history: before and after each activity, after each answer the workflow heard (the
/// episode that took it not yet stored) and before each timer it created (a command wait's slice). Each crashed
/// workflow must end as the crash-free one did, and the agent must have run each of its commands once. A registration
/// nobody answers crashes at its timers as well: its one wait runs out whatever the timing, so the timer is created and
/// fires in every run.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class RegistrationCrashTests(CrashFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Zone = "rcr-dc";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly string _folder = RepositoryPaths.NewScratchFolder("registration-crash");
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
    public async Task KilledAtEveryStepOfARegistrationAndOfAnUnregistration_EachEndsAsWithoutTheCrash_TheAgentActingOnce()
    {
        using var client = fixture.Host.CreateClient();
        var uri = TestDriverNode.Write(_folder);
        _agent = await fixture.StartAgentAsync($"agent-{Zone}", Zone, new Dictionary<string, string>
        {
            ["RelayAgent__Libvirt__Uris__0"] = uri,
        });
        var fields = $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}","serviceCategories":["compute"]}""";

        var (registered, crashFreeRegistration) = await RegisterAsync(client, "rcr-0", fields);
        var crashFree = DescribeResource(await Api.GetResourceAsync(client, registered));
        var registrationPoints = await KillPointsAsync(crashFreeRegistration, KillPlaces.Boundaries);
        Assert.True(registrationPoints.Any(k => k.Value == "RecordRegistrationDecision#1") && registrationPoints.Count(k => k.Setting == "KillAfterEvent") == 1,
            $"a registration hears the verification and records its decision; the history says {string.Join(", ", registrationPoints)}");

        var resources = new Queue<string>([registered]);
        foreach (var killPoint in CrashMatrix.Select(registrationPoints, output))
        {
            var verifications = Count("capabilities.verify");
            var name = string.Create(CultureInfo.InvariantCulture, $"rcr-{resources.Count}");
            var operation = await CrashedAsync(killPoint, async () => (await RegisterAsync(client, name, fields, wait: false)).OperationId, () => OperationOfAsync(client, name, null));
            var ended = await EndedAsync(client, operation, $"registration after a kill at {killPoint}");
            Assert.True(ended.GetProperty("result").GetProperty("state").GetString() == "registered", $"{killPoint}: {ended}");
            Assert.Equal(crashFree, DescribeResource(await Api.GetResourceAsync(client, name)));
            Assert.True(Count("capabilities.verify") == verifications + 1, $"{killPoint}: the agent verified {Count("capabilities.verify") - verifications} times");
            resources.Enqueue(name);
        }

        var crashFreeUnregistration = await UnregisterAsync(client, resources.Dequeue());
        await EndedAsync(client, crashFreeUnregistration, "the crash-free unregistration");
        var unregistrationPoints = await KillPointsAsync(crashFreeUnregistration, KillPlaces.Boundaries);
        Assert.True(unregistrationPoints.Count(k => k.Setting == "KillAfterEvent") == 2 && unregistrationPoints.Any(k => k.Value == "RecordUnregistrationOutcome#1"),
            $"an unregistration hears the host's list and the uninstall and records the outcome; the history says {string.Join(", ", unregistrationPoints)}");

        var more = 0;
        foreach (var killPoint in CrashMatrix.Select(unregistrationPoints, output))
        {
            var name = resources.Count > 0 ? resources.Dequeue() : (await RegisterAsync(client, string.Create(CultureInfo.InvariantCulture, $"rcr-more-{++more}"), fields)).Name;
            var uninstalls = Count("resource.uninstall");
            var registration = await OperationOfAsync(client, name, null);
            var operation = await CrashedAsync(killPoint, () => UnregisterAsync(client, name), () => OperationOfAsync(client, name, registration));
            var ended = await EndedAsync(client, operation, $"unregistration after a kill at {killPoint}");
            Assert.True(ended.GetProperty("result").GetProperty("unregistered").GetBoolean(), $"{killPoint}: {ended}");
            Assert.Equal("unregistered", (await Api.GetResourceAsync(client, name)).GetProperty("state").GetString());
            Assert.True(Count("resource.uninstall") == uninstalls + 1, $"{killPoint}: the agent uninstalled {Count("resource.uninstall") - uninstalls} times");
        }

        // The instance reconciler lists the hosts too, so the lists are not counted; no command ran twice.
        var executed = _agent!.ExecutedCommandIds();
        Assert.True(executed.Distinct().Count() == executed.Count, $"commands the agent ran twice: {string.Join(", ", executed.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key))}");
    }

    [Fact]
    public async Task KilledAtEveryStepAndTimerOfARegistrationNobodyAnswers_ItIsStillRejectedForTheTimeout()
    {
        // A zone no agent has ever served: its commands wait in the queue, so the verification's one wait runs out.
        const string silent = "rcr-silent";
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, silent);
        var fields = """{"kind":"virtualizationHost","endpoint":"test:///default","serviceCategories":["compute"],"verificationTimeoutSeconds":5}""";

        var crashFree = await RegisterInAsync(client, silent, "rcs-0", fields);
        var ended = await EndedAsync(client, crashFree, "the crash-free registration nobody answers");
        var reasons = Reasons(ended);
        Assert.True(ended.GetProperty("result").GetProperty("state").GetString() == "rejected" && reasons.Contains("did not answer the capability verification within 5 seconds", StringComparison.Ordinal), ended.ToString());
        var killPoints = await KillPointsAsync(crashFree, KillPlaces.Activities | KillPlaces.BeforeTimer | KillPlaces.AfterTimer);
        Assert.True(killPoints.Any(k => k.Setting == "KillBeforeTimer") && killPoints.Any(k => k.Setting == "KillAfterTimer") && killPoints.Any(k => k.Value == "RecordRegistrationDecision#1"),
            $"the wait runs out on a timer and the decision is recorded; the history says {string.Join(", ", killPoints)}");

        var n = 0;
        foreach (var killPoint in CrashMatrix.Select(killPoints, output))
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"rcs-{++n}");
            var operation = await CrashedAsync(killPoint, () => RegisterInAsync(client, silent, name, fields), () => OperationOfAsync(client, name, null));
            var crashed = await EndedAsync(client, operation, $"registration after a kill at {killPoint}");
            Assert.True(crashed.GetProperty("result").GetProperty("state").GetString() == "rejected", $"{killPoint}: {crashed}");
            Assert.True(Reasons(crashed) == reasons, $"{killPoint}: {Reasons(crashed)} against the crash-free {reasons}");
            Assert.Equal("rejected", (await Api.GetResourceAsync(client, name)).GetProperty("state").GetString());
        }
    }

    /// <summary>
    /// Starts the host told to kill itself at <paramref name="killPoint"/>, starts the workflow, waits for the host to
    /// die there and starts it again without the fault; returns the workflow's operation id: from the request's answer,
    /// or, when the host died before it answered (a registration's first episode runs beside its request), from
    /// <paramref name="startedOperation"/> after the restart.
    /// </summary>
    private async Task<string> CrashedAsync(KillPoint killPoint, Func<Task<string>> start, Func<Task<string>> startedOperation)
    {
        await fixture.StartDoomedHostAsync(killPoint);
        string? operation = null;
        try
        {
            operation = await start();
        }
        catch (HttpRequestException)
        {
            // The request's workflow was scheduled before the host died, so it is there after the restart.
        }

        await fixture.RestartAfterKillAsync(killPoint);
        return operation ?? await startedOperation();
    }

    /// <summary>The operation the resource's record names once it names one other than <paramref name="before"/>.</summary>
    private static async Task<string> OperationOfAsync(HttpClient client, string name, string? before) =>
        (await Eventually.GetAsync<string>(async () =>
        {
            using var response = await client.GetAsync(new Uri($"api/v1/resources/{name}", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK && (await Api.ReadJsonAsync(response)).GetProperty("operationId").GetString() is { } operation && operation != before
                ? operation
                : null;
        }, Deadline, $"resource {name} to name its workflow"))!;

    private Task<(string Name, string OperationId)> RegisterAsync(HttpClient client, string name, string fields) => RegisterAsync(client, name, fields, wait: true);

    private async Task<(string Name, string OperationId)> RegisterAsync(HttpClient client, string name, string fields, bool wait)
    {
        var operation = await RegisterInAsync(client, Zone, name, fields);
        if (wait)
        {
            var ended = await EndedAsync(client, operation, $"registration of {name}");
            Assert.True(ended.GetProperty("result").GetProperty("state").GetString() == "registered", ended.ToString());
        }

        return (name, operation);
    }

    private static async Task<string> RegisterInAsync(HttpClient client, string zone, string name, string fields)
    {
        using var response = await client.PostAsync(new Uri("api/v1/resources", UriKind.Relative), Api.Json($$"""{"name":"{{name}}","zone":"{{zone}}",{{fields[1..]}}"""));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await Api.ReadJsonAsync(response)).GetProperty("operationId").GetString()!;
    }

    private static async Task<string> UnregisterAsync(HttpClient client, string name)
    {
        using var response = await client.DeleteAsync(new Uri($"api/v1/resources/{name}", UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await Api.ReadJsonAsync(response)).GetProperty("operationId").GetString()!;
    }

    private static Task<JsonElement> EndedAsync(HttpClient client, string operationId, string what) =>
        Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), Deadline, what);

    private Task<IReadOnlyList<KillPoint>> KillPointsAsync(string operationId, KillPlaces places) =>
        DurableHistory.KillPointsAsync(fixture.Azurite, fixture.Host.HubName, $"{CommandChannelFixture.TenantId}.{operationId}", places);

    /// <summary>What a registration decides about a resource, its name aside.</summary>
    private static string DescribeResource(JsonElement resource) =>
        string.Join(" ", new[] { "state", "kind", "serviceCategories", "capabilities" }.Select(p => resource.TryGetProperty(p, out var value) ? value.ToString() : "-"));

    private static string Reasons(JsonElement operation) =>
        operation.GetProperty("result").TryGetProperty("reasons", out var reasons) ? reasons.ToString() : "-";

    private int Count(string kind) => _agent!.JournalEntries().Count(e => e.Kind == kind);
}
