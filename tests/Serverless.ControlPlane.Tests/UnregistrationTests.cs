using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Results;

namespace Serverless.ControlPlane.Tests;

/// <summary>What may be unregistered and when (<see cref="UnregistrationService"/>), and how the drain's answers decide (<see cref="UnregistrationOutcome"/>).</summary>
public sealed class UnregistrationTests
{
    private const string Tenant = "contoso";
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

    private readonly InMemoryResourceStores _stores = new();
    private readonly InMemoryPoolStore _pools = new();
    private readonly InMemoryInstanceStores _managed = new();
    private readonly UnregistrationService _service;

    public UnregistrationTests() =>
        _service = new UnregistrationService(
            _stores, _stores, new PoolService(_pools, _pools, _stores, new InMemoryMetricWindows(), new ManualClock(At)), InstanceServiceTests.Create(_managed, _stores, At), _pools, new InMemoryStackStore(),
            Options.Create(new RegistrationOptions { DrainGraceSeconds = 45 }), new ManualClock(At));

    [Fact]
    public async Task Plan_HostWithActiveInstances_IsBlockedNamingEachUnlessForced()
    {
        await HostAsync("kvm-1", ("web", InstanceState.Running), ("batch", InstanceState.Paused), ("old", InstanceState.ShutOff));

        var blocked = await _service.PlanAsync(Tenant, "kvm-1", force: false, null, CancellationToken.None);
        var forced = await _service.PlanAsync(Tenant, "kvm-1", force: true, null, CancellationToken.None);

        Assert.Equal(ErrorKind.Conflict, blocked.Error!.Kind);
        Assert.Equal(["batch is paused on 'kvm-1'.", "web is running on 'kvm-1'."],
            blocked.Error.BlockingItems.Select(i => $"{i.Id} {i.Detail}").Order(StringComparer.Ordinal));
        Assert.Equal(["batch", "web"], forced.Value!.Drain.Order(StringComparer.Ordinal));
        Assert.Equal((45, 75), (forced.Value.GraceSeconds, forced.Value.StopTimeoutSeconds));
    }

    [Fact]
    public async Task Plan_ResourceServingAPool_IsBlockedNamingThePool_ForcedItDeactivatesTheMembersInService()
    {
        await HostAsync("kvm-1");
        await _pools.TryAddAsync(
            new PoolDefinition(Tenant, "web", ServiceKind.Compute, [new PoolMember("w1", "kvm-1", "dc-1", null, "web-1"), new PoolMember("w2", "kvm-1", "dc-1", null, "web-2")],
                new PoolPolicy("cpu.load", 0.8, 60, 0.2, 120, 60, 1, 2, 1, MemberPreference.ClientFirst), At, At),
            CancellationToken.None);
        await _pools.TrySetMemberStatusAsync(new PoolMemberStatus(Tenant, "web", "w1", MemberState.Active, At), null, CancellationToken.None);

        var blocked = await _service.PlanAsync(Tenant, "kvm-1", force: false, null, CancellationToken.None);
        var forced = await _service.PlanAsync(Tenant, "kvm-1", force: true, null, CancellationToken.None);

        Assert.Equal(new BlockingItem("pool", "web", "has 2 member(s) on 'kvm-1'."), Assert.Single(blocked.Error!.BlockingItems));
        Assert.Equal([new PoolMemberDrain("web", "w1", null, "web-1")], forced.Value!.Members);

        await _service.RecordMembersDrainedAsync(forced.Value, CancellationToken.None);
        Assert.Equal(MemberState.Inactive, (await _pools.GetMemberStatusAsync(Tenant, "web", "w1", CancellationToken.None))!.State);
    }

    [Theory]
    [InlineData(RegistrationState.Verifying, "The resource is being registered.")]
    [InlineData(RegistrationState.Unregistering, "The resource is being unregistered.")]
    [InlineData(RegistrationState.Unregistered, "The resource is already unregistered.")]
    public async Task Plan_ResourceNotSettled_IsAConflictSayingWhy(RegistrationState state, string title)
    {
        await HostAsync("kvm-1");
        await _stores.UpsertAsync(_stores.Get(Tenant, "kvm-1")! with { State = state }, CancellationToken.None);

        var plan = await _service.PlanAsync(Tenant, "kvm-1", force: true, null, CancellationToken.None);

        Assert.Equal((ErrorKind.Conflict, title), (plan.Error!.Kind, plan.Error.Title));
    }

    [Fact]
    public async Task Plan_UnknownOrOtherTenantsResourceOrStaleETag_IsNotFoundOrPreconditionFailed()
    {
        await HostAsync("kvm-1");
        var etag = _stores.Get(Tenant, "kvm-1")!.ETag;

        Assert.Equal(ErrorKind.NotFound, (await _service.PlanAsync("fabrikam", "kvm-1", false, null, CancellationToken.None)).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await _service.PlanAsync(Tenant, "kvm-2", false, null, CancellationToken.None)).Error!.Kind);
        Assert.Equal(ErrorKind.PreconditionFailed, (await _service.PlanAsync(Tenant, "kvm-1", false, "W/\"0\"", CancellationToken.None)).Error!.Kind);
        Assert.True((await _service.PlanAsync(Tenant, "kvm-1", false, etag, CancellationToken.None)).Succeeded);
        Assert.True((await _service.PlanAsync(Tenant, "kvm-1", false, "*", CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task RecordUnregistering_ResourceChangedSinceThePlan_IsRefusedAndARepeatOfTheSameOperationIsNot()
    {
        await HostAsync("kvm-1");
        var first = (await _service.PlanAsync(Tenant, "kvm-1", false, null, CancellationToken.None)).Value!;
        var second = (await _service.PlanAsync(Tenant, "kvm-1", false, null, CancellationToken.None)).Value!;

        Assert.True(await _service.RecordUnregisteringAsync(first, "op-1", CancellationToken.None));
        Assert.True(await _service.RecordUnregisteringAsync(first, "op-1", CancellationToken.None));
        Assert.False(await _service.RecordUnregisteringAsync(second, "op-2", CancellationToken.None));
        Assert.Equal(("op-1", RegistrationState.Unregistering), (_stores.Get(Tenant, "kvm-1")!.OperationId, _stores.Get(Tenant, "kvm-1")!.State));
    }

    [Fact]
    public async Task RecordOutcome_Refused_PutsTheResourceBackToRegisteredWithTheReasons_Completed_ForgetsItsInstances()
    {
        await HostAsync("kvm-1", ("web", InstanceState.Running));
        var plan = (await _service.PlanAsync(Tenant, "kvm-1", true, null, CancellationToken.None)).Value!;
        await _service.RecordUnregisteringAsync(plan, "op-1", CancellationToken.None);

        await _service.RecordOutcomeAsync(plan, "op-1", new UnregistrationOutcome(false, [], ["the drain did not finish"]), CancellationToken.None);
        Assert.Equal((RegistrationState.Registered, "the drain did not finish"), (_stores.Get(Tenant, "kvm-1")!.State, _stores.Get(Tenant, "kvm-1")!.Reasons.Single()));

        var again = (await _service.PlanAsync(Tenant, "kvm-1", true, null, CancellationToken.None)).Value!;
        await _service.RecordUnregisteringAsync(again, "op-2", CancellationToken.None);
        await _service.RecordOutcomeAsync(again, "op-2", new UnregistrationOutcome(true, [], ["done"]), CancellationToken.None);
        Assert.Equal(RegistrationState.Unregistered, _stores.Get(Tenant, "kvm-1")!.State);
        Assert.Empty(await _stores.ListAsync(Tenant, "kvm-1", CancellationToken.None));
    }

    [Fact]
    public void FromDrain_EveryInstanceOff_IsNullAndListsThem()
    {
        var plan = Plan("web", "batch");

        var refusal = UnregistrationOutcome.FromDrain(plan, [Stopped("web", InstanceState.ShutOff, forced: false), Stopped("batch", InstanceState.ShutOff, forced: true)], out var stopped);
        var done = UnregistrationOutcome.Completed(stopped, Result(CommandStatus.Succeeded, """{"resourceId":"kvm-1","released":["libvirt connection to qemu:///system closed"]}""", null));

        Assert.Null(refusal);
        Assert.True(done.Unregistered);
        Assert.Equal(["Drained 2 instance(s): web, batch (forced off).", "The agent released: libvirt connection to qemu:///system closed."], done.Notes);
    }

    [Fact]
    public void FromDrain_AnInstanceNotStoppedOrStillUp_RefusesNamingEach()
    {
        var plan = Plan("web", "batch", "db");

        var refusal = UnregistrationOutcome.FromDrain(plan,
            [
                Stopped("web", InstanceState.ShutOff, forced: false),
                Result(CommandStatus.TimedOut, null, new CommandError(CommandErrorKind.Timeout, "No agent of group 'dc-1' answered instance.stop within 75 s.")),
                Stopped("db", InstanceState.Paused, forced: true),
            ],
            out var stopped);

        Assert.NotNull(refusal);
        Assert.False(refusal.Unregistered);
        Assert.Equal(["web", "db"], stopped.Select(s => s.Name));
        Assert.Equal(
            [
                "The drain did not finish; the resource stays registered.",
                "instance 'batch' could not be stopped: timeout: No agent of group 'dc-1' answered instance.stop within 75 s.",
                "instance 'db' is still paused after the stop.",
            ],
            refusal.Notes);
    }

    [Fact]
    public void CheckHost_UnforcedAndTheHostRunsWhatTheRecordsSayIsOff_RefusesNamingIt()
    {
        var plan = Plan() with { Force = false };

        var check = UnregistrationOutcome.CheckHost(plan, Listed(("web", InstanceState.Running), ("old", InstanceState.ShutOff)));

        Assert.NotNull(check.Refusal);
        Assert.False(check.Refusal.Unregistered);
        Assert.Equal(new BlockingItem("instance", "web", "is running on 'kvm-1' (reported by the host)."), Assert.Single(check.Refusal.BlockingItems!));
        Assert.Equal(["web", "old"], check.Reported!.Select(i => i.Name));
    }

    [Fact]
    public void CheckHost_Forced_DrainsWhatTheHostRuns_NotWhatTheRecordsSaid()
    {
        var check = UnregistrationOutcome.CheckHost(Plan("old"), Listed(("web", InstanceState.Running), ("batch", InstanceState.Paused), ("old", InstanceState.ShutOff)));

        Assert.Null(check.Refusal);
        Assert.Equal(["web", "batch"], check.Plan.Drain);
        Assert.Null(check.Note);
    }

    [Fact]
    public void CheckHost_HostDoesNotAnswer_TheRecordsDecideAndTheOutcomeSaysSo()
    {
        var plan = Plan("web") with { Force = false };

        var check = UnregistrationOutcome.CheckHost(plan, Result(CommandStatus.TimedOut, null, new CommandError(CommandErrorKind.Timeout, "nobody answered")));

        Assert.Null(check.Refusal);
        Assert.Same(plan, check.Plan);
        Assert.Equal("The host could not be asked for its instances (timeout: nobody answered); the recorded states decided.", check.Note);
    }

    [Fact]
    public async Task RecordHostInstances_ReplacesStaleRecordsWithWhatTheHostSaid()
    {
        await HostAsync("kvm-1", ("web", InstanceState.ShutOff), ("gone", InstanceState.Running));

        await _service.RecordHostInstancesAsync(Plan(), [new HostInstance("web", InstanceState.Running)], CancellationToken.None);

        Assert.Equal(["web:Running"], (await _stores.ListAsync(Tenant, "kvm-1", CancellationToken.None)).Select(i => $"{i.Name}:{i.State}"));
    }

    [Fact]
    public void Completed_AgentDidNotConfirmTheUninstall_StillUnregistersAndSaysSo()
    {
        var done = UnregistrationOutcome.Completed([], Result(CommandStatus.Failed, null, new CommandError(CommandErrorKind.Unreachable, "group 'dc-1' is disconnected")));

        Assert.True(done.Unregistered);
        Assert.Equal(["The agent did not confirm the uninstall (unreachable: group 'dc-1' is disconnected); it is told nothing more about this resource."], done.Notes);
    }

    private async Task HostAsync(string resourceId, params (string Name, InstanceState State)[] instances)
    {
        await _stores.UpsertAsync(
            new ResourceRegistration(Tenant, resourceId, "dc-1", ResourceKind.VirtualizationHost, "qemu:///system", null, ["compute"],
                RegistrationState.Registered, [], new Dictionary<string, string>(), "op-0", At, At),
            CancellationToken.None);
        await _stores.ReplaceAllAsync(Tenant, resourceId, instances.Select(i => new ResourceInstance(Tenant, resourceId, "dc-1", i.Name, i.State, At)).ToList(), CancellationToken.None);
    }

    private static UnregistrationPlan Plan(params string[] drain) =>
        new(Tenant, "kvm-1", "dc-1", ResourceKind.VirtualizationHost, "qemu:///system", true, "W/\"1\"", drain, 45);

    private static CommandResult Listed(params (string Name, InstanceState State)[] instances) => Result(
        CommandStatus.Succeeded,
        JsonSerializer.Serialize(new InstanceListOutput("qemu:///system", [.. instances.Select(i => new HostInstance(i.Name, i.State))]), ContractsJsonContext.Default.InstanceListOutput),
        null);

    private static CommandResult Stopped(string name, InstanceState state, bool forced) =>
        Result(CommandStatus.Succeeded, JsonSerializer.Serialize(new InstanceStopOutput(name, state, forced), ContractsJsonContext.Default.InstanceStopOutput), null);

    private static CommandResult Result(CommandStatus status, string? output, CommandError? error) => new(
        SchemaVersions.Current, "c1", Tenant, "dc-1", "agent-1", CommandKinds.StopInstance, status,
        output is null ? null : JsonDocument.Parse(output).RootElement, error, new CommandTimings(At, At, At), new CommandCorrelation(null, null), null);
}
