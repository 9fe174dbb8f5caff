using Microsoft.Extensions.Options;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Registration;

namespace Serverless.ControlPlane.Tests;

/// <summary>
/// How <see cref="RegistrationService"/> records a registration started from the request: Verifying once, never over
/// its own orchestration's later write, and a decision that finds no record (its starter died) writes it whole.
/// </summary>
public sealed class RegistrationRecordingTests
{
    private const string Tenant = "contoso";
    private static readonly DateTimeOffset At = new(2026, 11, 26, 5, 0, 0, TimeSpan.Zero);

    private static readonly RegistrationPlan Plan = new(
        Tenant, "kvm-1", "dc-1", ResourceKind.VirtualizationHost, "test:///default", null, ["compute"], 120, "4.0.0");

    private static readonly RegistrationDecision Registered = new(
        RegistrationState.Registered, [], new Dictionary<string, string> { ["hypervisor"] = "TEST 0.0.2" }, [new HostInstance("web", InstanceState.Running)]);

    private readonly InMemoryResourceStores _stores = new();
    private readonly RegistrationService _service;

    public RegistrationRecordingTests() =>
        _service = new RegistrationService(new InMemoryZoneStore(), _stores, _stores, Options.Create(new RegistrationOptions()), new ManualClock(At));

    [Fact]
    public async Task RecordRequested_ThenDecision_EndsRegisteredForThatOperation()
    {
        await _service.RecordRequestedAsync(Plan, "op-1", CancellationToken.None);
        Assert.Equal(RegistrationState.Verifying, _stores.Get(Tenant, "kvm-1")!.State);

        await _service.RecordDecisionAsync(Plan, "op-1", Registered, CancellationToken.None);

        var record = _stores.Get(Tenant, "kvm-1")!;
        Assert.Equal((RegistrationState.Registered, "op-1"), (record.State, record.OperationId));
        Assert.Equal("TEST 0.0.2", record.Capabilities["hypervisor"]);
    }

    [Fact]
    public async Task RecordRequested_AfterItsOwnOrchestrationDecided_LeavesTheDecision()
    {
        await _service.RecordDecisionAsync(Plan, "op-1", Registered, CancellationToken.None);

        await _service.RecordRequestedAsync(Plan, "op-1", CancellationToken.None);

        Assert.Equal(RegistrationState.Registered, _stores.Get(Tenant, "kvm-1")!.State);
    }

    [Fact]
    public async Task RecordRequested_OverAnEarlierRejectedRegistration_StartsTheNewOne()
    {
        await _service.RecordDecisionAsync(Plan, "op-1", new RegistrationDecision(RegistrationState.Rejected, ["unreachable"], new Dictionary<string, string>()), CancellationToken.None);

        await _service.RecordRequestedAsync(Plan, "op-2", CancellationToken.None);

        var record = _stores.Get(Tenant, "kvm-1")!;
        Assert.Equal((RegistrationState.Verifying, "op-2"), (record.State, record.OperationId));
        Assert.Empty(record.Reasons);
    }

    [Fact]
    public async Task RecordDecision_WithoutARecord_WritesTheWholeResourceAndItsInstances()
    {
        await _service.RecordDecisionAsync(Plan, "op-1", Registered, CancellationToken.None);

        var record = _stores.Get(Tenant, "kvm-1")!;
        Assert.Equal(("dc-1", ResourceKind.VirtualizationHost, "test:///default", "op-1"), (record.Zone, record.Kind, record.Endpoint, record.OperationId));
        Assert.Equal(["web"], (await _stores.ListAsync(Tenant, "kvm-1", CancellationToken.None)).Select(i => i.Name));
    }
}
