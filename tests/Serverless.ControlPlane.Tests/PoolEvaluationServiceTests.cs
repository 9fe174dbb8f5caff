using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Tests;

/// <summary>
/// The evaluator's side effects: transitions written conditionally (two evaluators racing act once), commands shaped for
/// the member's kind and sent to its zone's group, subscriptions renewed, and agents' answers moving members on.
/// </summary>
public sealed class PoolEvaluationServiceTests
{
    private const string Tenant = "contoso";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(Now);
    private readonly InMemoryResourceStores _resources = new();
    private readonly InMemoryZoneStore _zones = new();
    private readonly InMemoryAgentStores _agents = new();
    private readonly InMemoryMetricWindows _metrics = new();
    private readonly CommandRecorder _commands = new();

    public PoolEvaluationServiceTests()
    {
        _zones.TryAddAsync(new Zone(Tenant, "dc-1", ZoneKind.Client, null, Now), CancellationToken.None).GetAwaiter().GetResult();
        _zones.TryAddAsync(new Zone(Tenant, "cloud-1", ZoneKind.Provider, null, Now), CancellationToken.None).GetAwaiter().GetResult();
        foreach (var zone in new[] { "dc-1", "cloud-1" })
        {
            _agents.UpsertAsync(new AgentGroupConnectivity(Tenant, zone, AgentGroupStatus.Connected, Now, Now), CancellationToken.None).GetAwaiter().GetResult();
        }

        _resources.UpsertAsync(new ResourceRegistration(Tenant, "lb-1", "dc-1", ResourceKind.SnmpAppliance, "10.0.0.5:161", "simulated-load-balancer", [],
            RegistrationState.Registered, [], new Dictionary<string, string>(), "op", Now, Now, "lb-cred"), CancellationToken.None).GetAwaiter().GetResult();
        _resources.UpsertAsync(new ResourceRegistration(Tenant, "kvm-1", "cloud-1", ResourceKind.VirtualizationHost, "qemu:///system", null, [],
            RegistrationState.Registered, [], new Dictionary<string, string>(), "op", Now, Now), CancellationToken.None).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task Evaluate_NewPool_ActivatesTheMinimumOnTheDevice_AndSubscribesTheApplianceGroup()
    {
        var store = new InMemoryPoolStore(_metrics);
        var pool = await AddPoolAsync(store);

        var decision = await Evaluator(store).EvaluateAsync(pool, CancellationToken.None);

        Assert.Equal(["lb-a→Activating"], decision.Changes.Select(c => $"{c.MemberId}→{c.To}"));
        var activate = Assert.Single(_commands.Sent, c => c.Kind == CommandKinds.ActivateMember);
        Assert.Equal("dc-1", activate.AgentGroup);
        var payload = activate.Payload.Deserialize(ContractsJsonContext.Default.MemberActionPayload)!;
        Assert.Equal(("web.lb-a", "10.0.0.5:161", "lb-cred", "simulated-load-balancer", "1"),
            (payload.ResourceId, payload.Snmp!.Device.Address, payload.Snmp.Device.Credential, payload.Snmp.Profile, payload.Snmp.Index));
        var subscriptions = _commands.Sent.Where(c => c.Kind == CommandKinds.SubscribeMetrics)
            .ToDictionary(c => c.AgentGroup, c => c.Payload.Deserialize(ContractsJsonContext.Default.MetricsSubscribePayload)!.Targets);
        Assert.Equal(["web.lb-a", "web.lb-b"], subscriptions["dc-1"].Select(t => t.ResourceId));
        Assert.Equal(("web.vm-a", "qemu:///system", "web-1"), (subscriptions["cloud-1"][0].ResourceId, subscriptions["cloud-1"][0].Instance!.Uri, subscriptions["cloud-1"][0].Instance!.Name));
        var status = await store.GetMemberStatusAsync(Tenant, "web", "lb-a", CancellationToken.None);
        Assert.Equal((MemberState.Activating, activate.CommandId), (status!.State, status.PendingCommandId));
    }

    [Fact]
    public async Task Evaluate_TwoEvaluatorsRacingOnOnePool_ActOnce()
    {
        var store = new RendezvousPoolStore(2, _metrics);
        var pool = await AddPoolAsync(store);

        var decisions = await Task.WhenAll(Evaluator(store).EvaluateAsync(pool, CancellationToken.None), Evaluator(store).EvaluateAsync(pool, CancellationToken.None));

        Assert.Equal(1, decisions.Sum(d => d.Changes.Count));
        Assert.Single(_commands.Sent, c => c.Kind == CommandKinds.ActivateMember);
    }

    [Fact]
    public async Task Evaluate_AMemberPendingPastResendAfter_GetsItsCommandAgain_AsFirstIssued_AndAYoungerOneDoesNot()
    {
        var store = new InMemoryPoolStore(_metrics);
        var pool = await AddPoolAsync(store);

        // As a host that died between the commit and the send leaves it: pending, and nothing went out.
        var issued = Now - PoolEvaluationService.ResendAfter;
        await store.TrySetMemberStatusAsync(new PoolMemberStatus(Tenant, "web", "lb-a", MemberState.Activating, issued, "below the minimum", "cmd-lost"), null, CancellationToken.None);
        await store.TrySetMemberStatusAsync(new PoolMemberStatus(Tenant, "web", "lb-b", MemberState.Deactivating, Now.AddSeconds(-9), "above the maximum", "cmd-young"), null, CancellationToken.None);
        var evaluator = Evaluator(store);

        await evaluator.EvaluateAsync(pool, CancellationToken.None);

        var again = Assert.Single(_commands.Sent, c => c.Kind is CommandKinds.ActivateMember or CommandKinds.DeactivateMember);
        Assert.Equal(("cmd-lost", CommandKinds.ActivateMember, issued, issued.AddSeconds(pool.Policy.ActionTimeoutSeconds)), (again.CommandId, again.Kind, again.IssuedAt, again.Deadline));
        Assert.Equal("web.lb-a", again.Payload.Deserialize(ContractsJsonContext.Default.MemberActionPayload)!.ResourceId);
        Assert.Equal((MemberState.Activating, "cmd-lost"), await StatusAsync(store, "lb-a"));
    }

    [Fact]
    public async Task Evaluate_APendingMemberWhoseAnswerIsRecorded_MovesOnWithoutASend()
    {
        var store = new InMemoryPoolStore(_metrics);
        var pool = await AddPoolAsync(store);
        await store.TrySetMemberStatusAsync(
            new PoolMemberStatus(Tenant, "web", "lb-a", MemberState.Activating, Now - PoolEvaluationService.ResendAfter, "below the minimum", "cmd-answered"), null, CancellationToken.None);

        // The agent answered and the result was stored, but the uplink died before applying it.
        _commands.Results["cmd-answered"] = Result("cmd-answered", CommandStatus.Succeeded);

        await Evaluator(store).EvaluateAsync(pool, CancellationToken.None);

        Assert.DoesNotContain(_commands.Sent, c => c.CommandId == "cmd-answered");
        Assert.Equal((MemberState.Active, null), await StatusAsync(store, "lb-a"));
    }

    [Fact]
    public async Task ApplyResult_OnlyThePendingCommandMovesTheMember_SuccessToActive_FailureToUnhealthy()
    {
        var store = new InMemoryPoolStore(_metrics);
        var pool = await AddPoolAsync(store);
        var evaluator = Evaluator(store);
        await evaluator.EvaluateAsync(pool, CancellationToken.None);
        var pending = (await store.GetMemberStatusAsync(Tenant, "web", "lb-a", CancellationToken.None))!.PendingCommandId!;

        Assert.False(await evaluator.ApplyResultAsync(Tenant, "web", "lb-a", Result("someone-else", CommandStatus.Succeeded), CancellationToken.None));
        Assert.True(await evaluator.ApplyResultAsync(Tenant, "web", "lb-a", Result(pending, CommandStatus.Succeeded), CancellationToken.None));
        Assert.False(await evaluator.ApplyResultAsync(Tenant, "web", "lb-a", Result(pending, CommandStatus.Succeeded), CancellationToken.None));
        Assert.Equal(MemberState.Active, (await store.GetMemberStatusAsync(Tenant, "web", "lb-a", CancellationToken.None))!.State);

        await store.TrySetMemberStatusAsync(new PoolMemberStatus(Tenant, "web", "lb-b", MemberState.Activating, Now, "test", "cmd-b"), null, CancellationToken.None);
        await evaluator.ApplyResultAsync(Tenant, "web", "lb-b", Result("cmd-b", CommandStatus.Failed), CancellationToken.None);
        var failed = (await store.GetMemberStatusAsync(Tenant, "web", "lb-b", CancellationToken.None))!;
        Assert.Equal(MemberState.Unhealthy, failed.State);
        Assert.Equal("the activation failed (Unreachable): 10.0.0.5:161 did not answer", failed.Reason);
    }

    [Fact]
    public async Task ApplyResult_AConfirmedActivation_IsMeasured_AndAMeasuredLeadPutsTheWindowInForceThatMuchEarlier()
    {
        var store = new InMemoryPoolStore(_metrics);
        var window = new PoolWindow("noon", "0 13 * * *", "UTC", 30, MinActive: 2, MaxActive: null, LeadSeconds: 10, MeasuredLead: true);
        var pool = await AddPoolAsync(store, window);
        var evaluator = Evaluator(store);
        await evaluator.EvaluateAsync(pool, CancellationToken.None);
        var pending = (await store.GetMemberStatusAsync(Tenant, "web", "lb-a", CancellationToken.None))!.PendingCommandId!;

        _clock.Now = Now.AddSeconds(44.2);
        Assert.True(await evaluator.ApplyResultAsync(Tenant, "web", "lb-a", Result(pending, CommandStatus.Succeeded), CancellationToken.None));
        Assert.Equal(45, (await store.GetMemberStatusAsync(Tenant, "web", "lb-a", CancellationToken.None))!.ActivationSeconds);

        // 10 s of lead plus the 45 s measured: in force from 12:59:05, not at 12:59:04.
        _clock.Now = new DateTimeOffset(2026, 11, 26, 12, 59, 4, TimeSpan.Zero);
        Assert.Empty((await evaluator.EvaluateAsync(pool, CancellationToken.None)).Changes);
        _clock.Now = _clock.Now.AddSeconds(1);
        var decision = await evaluator.EvaluateAsync(pool, CancellationToken.None);
        Assert.Equal(["lb-b→Activating"], decision.Changes.Select(c => $"{c.MemberId}→{c.To}"));
        Assert.Contains("(window 'noon')", decision.Reason, StringComparison.Ordinal);

        // A later transition of the member keeps what was measured.
        Assert.Equal(45, (await store.GetMemberStatusAsync(Tenant, "web", "lb-a", CancellationToken.None))!.ActivationSeconds);
    }

    [Fact]
    public async Task ApplyResult_InstanceStartedAndStopped_UpdatesTheHostsInstanceRecord()
    {
        var store = new InMemoryPoolStore(_metrics);
        await AddPoolAsync(store);
        await _resources.ReplaceAllAsync(Tenant, "kvm-1", [new ResourceInstance(Tenant, "kvm-1", "cloud-1", "web-1", InstanceState.ShutOff, Now.AddHours(-1))], CancellationToken.None);
        var evaluator = Evaluator(store);

        await store.TrySetMemberStatusAsync(new PoolMemberStatus(Tenant, "web", "vm-a", MemberState.Activating, Now, "test", "start-1"), null, CancellationToken.None);
        Assert.True(await evaluator.ApplyResultAsync(Tenant, "web", "vm-a", InstanceResult("start-1", CommandKinds.StartInstance, """{"name":"web-1","state":"running"}"""), CancellationToken.None));
        var started = Assert.Single(await _resources.ListAsync(Tenant, "kvm-1", CancellationToken.None));
        Assert.Equal((InstanceState.Running, Now), (started.State, started.UpdatedAt));

        var status = await store.GetMemberStatusAsync(Tenant, "web", "vm-a", CancellationToken.None);
        await store.TrySetMemberStatusAsync(new PoolMemberStatus(Tenant, "web", "vm-a", MemberState.Deactivating, Now, "test", "stop-1"), status!.ETag, CancellationToken.None);
        Assert.True(await evaluator.ApplyResultAsync(Tenant, "web", "vm-a", InstanceResult("stop-1", CommandKinds.StopInstance, """{"name":"web-1","state":"shutOff","forced":false}"""), CancellationToken.None));
        Assert.Equal(InstanceState.ShutOff, Assert.Single(await _resources.ListAsync(Tenant, "kvm-1", CancellationToken.None)).State);
    }

    [Fact]
    public async Task Evaluate_ClientGroupDisconnected_StartsTheProviderInstanceInstead()
    {
        var store = new InMemoryPoolStore(_metrics);
        var pool = await AddPoolAsync(store);
        await _agents.UpsertAsync(new AgentGroupConnectivity(Tenant, "dc-1", AgentGroupStatus.Disconnected, Now.AddMinutes(-5), Now), CancellationToken.None);

        var decision = await Evaluator(store).EvaluateAsync(pool, CancellationToken.None);

        Assert.Equal(["vm-a→Activating"], decision.Changes.Select(c => $"{c.MemberId}→{c.To}"));
        var start = Assert.Single(_commands.Sent, c => c.Kind != CommandKinds.SubscribeMetrics);
        Assert.Equal((CommandKinds.StartInstance, "cloud-1"), (start.Kind, start.AgentGroup));
    }

    private static async Task<(MemberState, string?)> StatusAsync(InMemoryPoolStore store, string member) =>
        (await store.GetMemberStatusAsync(Tenant, "web", member, CancellationToken.None)) is { } status ? (status.State, status.PendingCommandId) : throw new InvalidOperationException($"{member} has no status");

    private PoolEvaluationService Evaluator(InMemoryPoolStore store)
    {
        var connectivity = new ConnectivityService(_agents, _agents, Options.Create(new ConnectivityOptions()), _clock);
        var commands = new CommandService(_commands, _commands, _commands, connectivity, Options.Create(new CommandChannelOptions()));
        return new PoolEvaluationService(store, store, _resources, _resources, _zones, connectivity, commands, _clock);
    }

    private static async Task<PoolDefinition> AddPoolAsync(InMemoryPoolStore store, params PoolWindow[] schedule)
    {
        var pool = new PoolDefinition(Tenant, "web", ServiceKind.LoadBalancer,
            [new PoolMember("lb-a", "lb-1", "dc-1", "1", null), new PoolMember("lb-b", "lb-1", "dc-1", "2", null), new PoolMember("vm-a", "kvm-1", "cloud-1", null, "web-1")],
            new PoolPolicy("connections.active", 100, 60, 40, 120, 60, 1, 3, 1, MemberPreference.ClientFirst, Schedule: schedule.Length > 0 ? schedule : null), Now.AddHours(-1), Now.AddHours(-1));
        await store.TryAddAsync(pool, CancellationToken.None);
        return (await store.GetAsync(Tenant, "web", CancellationToken.None))!;
    }

    private static CommandResult Result(string commandId, CommandStatus status) => new(
        SchemaVersions.Current, commandId, Tenant, "dc-1", "agent-1", CommandKinds.ActivateMember, status,
        status == CommandStatus.Succeeded ? JsonDocument.Parse("""{"resourceId":"web.lb-a","active":true,"applied":[]}""").RootElement : null,
        status == CommandStatus.Succeeded ? null : new CommandError(CommandErrorKind.Unreachable, "10.0.0.5:161 did not answer"),
        new CommandTimings(Now, Now, Now), PoolCommandCorrelation.For("web", "lb-a"), null);

    private static CommandResult InstanceResult(string commandId, string kind, string output) => new(
        SchemaVersions.Current, commandId, Tenant, "cloud-1", "agent-2", kind, CommandStatus.Succeeded, JsonDocument.Parse(output).RootElement, null,
        new CommandTimings(Now, Now, Now), PoolCommandCorrelation.For("web", "vm-a"), null);

    /// <summary>Holds every tick's read of a pool until <c>parties</c> have read it: both evaluators see the same versions.</summary>
    private sealed class RendezvousPoolStore(int parties, InMemoryMetricWindows readings) : InMemoryPoolStore(readings)
    {
        private readonly Barrier _barrier = new(parties);

        public override async Task<IReadOnlyList<PoolRuntime>> ReadTicksAsync(IReadOnlyList<PoolDefinition> pools, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var tick = await base.ReadTicksAsync(pools, now, cancellationToken);
            await Task.Run(() => _barrier.SignalAndWait(TimeSpan.FromSeconds(10)), cancellationToken);
            return tick;
        }
    }
}
