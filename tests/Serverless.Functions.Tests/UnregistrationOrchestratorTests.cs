using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Registration;
using Serverless.Functions.Registration;

namespace Serverless.Functions.Tests;

/// <summary>
/// The unregistration workflow against a fake orchestration context and a fake agent: a resource changed since the
/// request is left alone; a host the agent reports empty is listed, uninstalled and recorded unregistered; a host
/// running a domain the records missed refuses an unforced unregistration, recording what the host reported, and
/// nothing is uninstalled; forced, that domain is stopped and recorded first.
/// </summary>
public sealed class UnregistrationOrchestratorTests
{
    private const string Instance = "default.0123456789abcdef0123456789abcdef";
    private static readonly DateTime Start = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private static readonly UnregistrationPlan Plan = new("default", "kvm-1", "dc-1", ResourceKind.VirtualizationHost, "test:///default", false, "etag-1", [], 5);

    [Fact]
    public async Task AResourceChangedSinceTheRequest_IsLeftAlone()
    {
        var agent = new FakeAgent([]);
        var context = Context(Plan, agent, unregistering: false);

        var outcome = await UnregistrationOrchestrator.RunAsync(context);

        Assert.False(outcome.Unregistered);
        Assert.Equal([FunctionNames.RecordUnregistering], context.Calls.Select(c => c.Name));
        Assert.Empty(agent.Kinds);
    }

    [Fact]
    public async Task AnEmptyHost_IsListedUninstalledAndRecordedUnregistered()
    {
        var agent = new FakeAgent([]);
        var context = Context(Plan, agent);

        var outcome = await UnregistrationOrchestrator.RunAsync(context);

        Assert.Equal([CommandKinds.ListInstances, CommandKinds.UninstallResource], agent.Kinds);
        Assert.Equal(
            [FunctionNames.RecordUnregistering, FunctionNames.SendCommand, FunctionNames.RecordHostInstances, FunctionNames.SendCommand, FunctionNames.RecordUnregistrationOutcome],
            context.Calls.Select(c => c.Name));
        Assert.True(outcome.Unregistered);
        Assert.Equal(["The agent released: libvirt connection to test:///default closed."], outcome.Notes);
        var recorded = (RecordUnregistrationOutcomeInput)context.Calls[^1].Input!;
        Assert.Equal(("0123456789abcdef0123456789abcdef", outcome), (recorded.OperationId, recorded.Outcome));
    }

    [Fact]
    public async Task AHostRunningADomainTheRecordsMissed_RefusesUnforced_RecordingWhatItReported_AndUninstallsNothing()
    {
        var agent = new FakeAgent([new HostInstance("by-hand", InstanceState.Running), new HostInstance("old", InstanceState.ShutOff)]);
        var context = Context(Plan, agent);

        var outcome = await UnregistrationOrchestrator.RunAsync(context);

        Assert.Equal([CommandKinds.ListInstances], agent.Kinds);
        Assert.False(outcome.Unregistered);
        Assert.Contains("by-hand (running)", outcome.Notes.Single(), StringComparison.Ordinal);
        Assert.Equal(["by-hand", "old"], ((RecordHostInstancesInput)context.Calls.Single(c => c.Name == FunctionNames.RecordHostInstances).Input!).Reported.Select(i => i.Name));
        Assert.Equal(FunctionNames.RecordUnregistrationOutcome, context.Calls[^1].Name);
    }

    [Fact]
    public async Task Forced_TheDomainTheRecordsMissed_IsStoppedAndRecorded_BeforeTheUninstall()
    {
        var agent = new FakeAgent([new HostInstance("by-hand", InstanceState.Running)]);
        var context = Context(Plan with { Force = true }, agent);

        var outcome = await UnregistrationOrchestrator.RunAsync(context);

        Assert.Equal([CommandKinds.ListInstances, CommandKinds.StopInstance, CommandKinds.UninstallResource], agent.Kinds);
        var stopped = (RecordInstanceStoppedInput)context.Calls.Single(c => c.Name == FunctionNames.RecordInstanceStopped).Input!;
        Assert.Equal(("by-hand", InstanceState.ShutOff), (stopped.Stopped.Name, stopped.Stopped.State));
        Assert.True(context.Calls.FindIndex(c => c.Name == FunctionNames.RecordInstanceStopped) < context.Calls.FindLastIndex(c => c.Name == FunctionNames.SendCommand));
        Assert.True(outcome.Unregistered);
        Assert.Equal("Drained 1 instance(s): by-hand.", outcome.Notes[0]);
    }

    private static FakeOrchestrationContext Context(UnregistrationPlan plan, FakeAgent agent, bool unregistering = true)
    {
        var context = new FakeOrchestrationContext(Instance, plan, Start);
        context.Activities[FunctionNames.RecordUnregistering] = _ => Task.FromResult<object?>(unregistering);
        foreach (var recording in new[] { FunctionNames.RecordHostInstances, FunctionNames.RecordInstanceStopped, FunctionNames.RecordPoolMembersDrained, FunctionNames.RecordUnregistrationOutcome })
        {
            context.Activities[recording] = _ => Task.FromResult<object?>(null);
        }

        context.Activities[FunctionNames.SendCommand] = input =>
        {
            var request = (CommandRequest)input!;
            context.Raise(request.Correlation.EventName!, agent.Answer(request));
            return Task.FromResult<object?>(null);
        };
        return context;
    }

    /// <summary>An agent whose host holds the given domains; it stops what it is asked to and releases its connection.</summary>
    private sealed class FakeAgent(IReadOnlyList<HostInstance> domains)
    {
        public List<string> Kinds { get; } = [];

        public CommandResult Answer(CommandRequest request)
        {
            Kinds.Add(request.Kind);
            JsonElement output = request.Kind switch
            {
                CommandKinds.ListInstances => JsonSerializer.SerializeToElement(new InstanceListOutput("test:///default", domains), ContractsJsonContext.Default.InstanceListOutput),
                CommandKinds.StopInstance => JsonSerializer.SerializeToElement(
                    new InstanceStopOutput(request.Payload.GetProperty("name").GetString()!, InstanceState.ShutOff, Forced: false), ContractsJsonContext.Default.InstanceStopOutput),
                CommandKinds.UninstallResource => JsonSerializer.SerializeToElement(
                    new ResourceUninstallOutput("kvm-1", ["libvirt connection to test:///default closed"]), ContractsJsonContext.Default.ResourceUninstallOutput),
                _ => throw new InvalidOperationException($"the fake agent does not do {request.Kind}"),
            };
            return AgentAnswer.To(request, output: output);
        }
    }
}
