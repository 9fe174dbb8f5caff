using System.Net;
using Serverless.Contracts;

namespace Serverless.IntegrationTests;

/// <summary>The registration orchestration end to end: HTTP → durable workflow → table storage → operation resource.</summary>
[Collection(LocalSystemCollection.Name)]
public sealed class RegistrationWorkflowTests(LocalSystemFixture system)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RegisterResource_AgentNeverAnswers_IsRejectedWithTimeoutReason()
    {
        using var client = system.Host.CreateClient();
        await Api.CreateZoneAsync(client, "silent-site");
        var resourceId = "kvm-" + Guid.NewGuid().ToString("N")[..8];

        var operationId = await Api.RegisterHostAsync(client, "silent-site", resourceId);
        var operation = await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded"), Deadline, "the registration to finish");

        Assert.Equal("rejected", operation.GetProperty("result").GetProperty("state").GetString());
        var resource = await Api.GetResourceAsync(client, resourceId);
        Assert.Equal("rejected", resource.GetProperty("state").GetString());
        Assert.Contains($"within {LocalSystemFixture.VerificationTimeoutSeconds} seconds", resource.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(operationId, resource.GetProperty("operationId").GetString());
    }

    [Fact]
    public async Task RegisterResource_VerificationReportsProblems_IsRejectedWithEveryReason()
    {
        using var client = system.Host.CreateClient();
        await Api.CreateZoneAsync(client, "picky-site");
        var resourceId = "kvm-" + Guid.NewGuid().ToString("N")[..8];
        var operationId = await Api.RegisterHostAsync(client, "picky-site", resourceId);
        await Api.WaitForOperationAsync(client, operationId, o => Api.IsAtStep(o, "verifying"), Deadline, "the verification step");

        var instanceId = $"default.{operationId}";
        await TaskHubEvents.RaiseVerificationAsync(system.Azurite.ConnectionString, system.Host.HubName, instanceId, new CapabilityVerificationResult(
            SchemaVersions.Current, $"{instanceId}-verify", Reachable: false, new Dictionary<string, string>(), ["libvirt 6.0 is older than the required 8.0"]));
        var operation = await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded"), Deadline, "the registration to finish");

        var reasons = operation.GetProperty("result").GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal(2, reasons.Count);
        Assert.Contains("libvirt 6.0 is older than the required 8.0", reasons);
    }

    [Fact]
    public async Task RegisterResource_SameNameWhileVerifying_Returns409()
    {
        using var client = system.Host.CreateClient();
        await Api.CreateZoneAsync(client, "busy-site");
        var resourceId = "kvm-" + Guid.NewGuid().ToString("N")[..8];
        var operationId = await Api.RegisterHostAsync(client, "busy-site", resourceId);
        await Api.WaitForOperationAsync(client, operationId, o => Api.IsAtStep(o, "verifying"), Deadline, "the verification step");

        using var again = await client.PostAsync(
            new Uri("api/v1/resources", UriKind.Relative),
            Api.Json($$"""{"name":"{{resourceId}}","zone":"busy-site","kind":"virtualizationHost","endpoint":"test:///default"}"""));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
