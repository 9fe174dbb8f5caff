using System.Net;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>The history purge timer, on demand through the admin API and on its own schedule.</summary>
[Collection(LocalSystemCollection.Name)]
public sealed class TimerTests(LocalSystemFixture system)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PurgeHistory_RunOnDemandThroughAdminApi_RemovesFinishedOperations()
    {
        using var client = system.Host.CreateClient();
        await Api.CreateZoneAsync(client, "purge-site");
        var operationId = await Api.RegisterHostAsync(client, "purge-site", "kvm-" + Guid.NewGuid().ToString("N")[..8]);
        await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded"), Deadline, "the registration to finish");

        using var admin = system.Host.CreateClient(LocalHostProcess.MasterKey);
        using var run = await admin.PostAsync(new Uri("admin/functions/PurgeOrchestrationHistory", UriKind.Relative), Api.Json("{}"));
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);

        await Api.WaitForOperationGoneAsync(client, operationId, Deadline, "the finished operation to be purged");
    }

    [Theory]
    [InlineData("RegistrationOrchestrator", HttpStatusCode.BadRequest)]
    [InlineData("GetHealth", HttpStatusCode.BadRequest)]
    [InlineData("NoSuchFunction", HttpStatusCode.NotFound)]
    public async Task AdminRun_NotATimerFunction_IsRefused(string name, HttpStatusCode expected)
    {
        using var admin = system.Host.CreateClient(LocalHostProcess.MasterKey);
        using var run = await admin.PostAsync(new Uri($"admin/functions/{name}", UriKind.Relative), Api.Json("{}"));

        Assert.Equal(expected, run.StatusCode);
    }

    [Fact]
    public async Task PurgeHistory_OnItsSchedule_RemovesFinishedOperations()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var host = await LocalHostProcess.StartAsync(azurite, new Dictionary<string, string>
        {
            ["HistoryPurge__Schedule"] = "*/2 * * * * *",
            ["HistoryPurge__RetentionHours"] = "0",
            ["Registration__VerificationTimeoutSeconds"] = "1",
        });
        using var client = host.CreateClient();
        await Api.CreateZoneAsync(client, "scheduled-site");
        var operationId = await Api.RegisterHostAsync(client, "scheduled-site", "kvm-scheduled");

        // Seen running first, then gone: only the schedule can have purged it, nobody called the admin API.
        await Api.WaitForOperationAsync(client, operationId, _ => true, Deadline, "the operation to exist");
        await Api.WaitForOperationGoneAsync(client, operationId, Deadline, "the scheduled purge");
        Assert.Contains("Executed 'PurgeOrchestrationHistory' (succeeded", host.Output, StringComparison.Ordinal);
    }
}
