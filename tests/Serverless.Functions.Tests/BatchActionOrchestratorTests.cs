using System.Globalization;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Operations;
using Serverless.Functions.Instances;

namespace Serverless.Functions.Tests;

/// <summary>
/// The batch workflow against a fake context whose action workflows end when the test says: targets start in order
/// within the overall and per-zone limits, a failure past <c>maxErrors</c> (a timeout counts) stops new starts while
/// the running finish, a cancel does the same and marks the rest canceled, and a target its prepare step ends never
/// gets an action workflow.
/// </summary>
public sealed class BatchActionOrchestratorTests
{
    private const string Tenant = "contoso";
    private const string Operation = "0123456789abcdef0123456789abcdef";
    private static readonly DateTime Start = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task TenTargets_ThreeAtOnce_StartInOrder_NeverMoreThanThreeRunning_AndAllSucceed()
    {
        var batch = new Batch(Plan(Targets(10), maxConcurrency: 3, maxErrors: 0));
        Assert.Equal(["t0", "t1", "t2"], batch.Started);

        // Out of order on purpose: the slot freed, not the oldest target, lets the next start.
        batch.Finish("t1");
        Assert.Equal(["t0", "t1", "t2", "t3"], batch.Started);
        Assert.Equal(BatchTargetStatus.Succeeded, batch.Status.Targets[1].Status);
        Assert.Equal(BatchTargetStatus.InProgress, batch.Status.Targets[0].Status);
        Assert.Equal(BatchTargetStatus.Pending, batch.Status.Targets[4].Status);
        while (batch.Running.FirstOrDefault() is { } running)
        {
            batch.Finish(running);
        }

        var outcome = await batch.Run;
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"t{i}"), batch.Started);
        Assert.Equal(3, batch.MostRunningAtOnce);
        Assert.All(outcome.Targets, t => Assert.Equal(BatchTargetStatus.Succeeded, t.Status));
        Assert.Equal((10, 0, 0, false), (outcome.Succeeded, outcome.Failed, outcome.Skipped, outcome.Canceled));
        Assert.All(outcome.Targets, t => Assert.Equal($"{Tenant}.{t.OperationId}", batch.InstanceIds[t.Name]));
        Assert.Equal(10, outcome.Targets.Select(t => t.OperationId).Distinct().Count());
    }

    [Fact]
    public async Task PerZoneLimit_OfOne_StartsALaterTargetOfAnotherZoneBeforeTheSecondOfTheFirstZone()
    {
        var targets = new[] { new BatchTarget("a1", "zone-a"), new BatchTarget("a2", "zone-a"), new BatchTarget("b1", "zone-b") };
        var batch = new Batch(Plan(targets, maxConcurrency: 3, maxErrors: 0, perZone: 1));
        Assert.Equal(["a1", "b1"], batch.Started);

        batch.Finish("b1");
        Assert.Equal(["a1", "b1"], batch.Started);
        batch.Finish("a1");
        Assert.Equal(["a1", "b1", "a2"], batch.Started);
        batch.Finish("a2");

        Assert.Equal(3, (await batch.Run).Succeeded);
    }

    [Fact]
    public async Task AFailurePastMaxErrors_TimeoutsCounting_StartsNothingMore_TheRunningFinish_AndTheRestAreSkipped()
    {
        var batch = new Batch(Plan(Targets(6), maxConcurrency: 2, maxErrors: 1));
        batch.Finish("t0", "start failed: refused: no such domain");
        Assert.Equal(["t0", "t1", "t2"], batch.Started);

        batch.Finish("t1", "timeout: no agent answered within 60 s");
        Assert.Equal(["t0", "t1", "t2"], batch.Started);
        Assert.Equal(BatchTargetStatus.InProgress, batch.Status.Targets[2].Status);
        Assert.False(batch.Run.IsCompleted, "the target still running is waited for");
        batch.Finish("t2");

        var outcome = await batch.Run;
        Assert.Equal(
            [BatchTargetStatus.Failed, BatchTargetStatus.TimedOut, BatchTargetStatus.Succeeded, BatchTargetStatus.Skipped, BatchTargetStatus.Skipped, BatchTargetStatus.Skipped],
            outcome.Targets.Select(t => t.Status));
        Assert.Equal("start failed: refused: no such domain", outcome.Targets[0].Reason);
        Assert.All(outcome.Targets.Skip(3), t => Assert.Equal("2 target(s) failed, more than maxErrors (1): no new target started.", t.Reason));
        Assert.Equal((1, 2, 3), (outcome.Succeeded, outcome.Failed, outcome.Skipped));
    }

    [Fact]
    public async Task Cancel_StartsNothingMore_LetsTheRunningFinish_AndMarksThePendingCanceled()
    {
        var batch = new Batch(Plan(Targets(4), maxConcurrency: 1, maxErrors: 0));
        batch.Context.Raise(BatchActionOrchestrator.CancelEvent, null);
        Assert.True(batch.Status.Canceled);
        Assert.False(batch.Run.IsCompleted, "the target already running is waited for");

        batch.Finish("t0");
        var outcome = await batch.Run;
        Assert.Equal(["t0"], batch.Started);
        Assert.Equal(
            [BatchTargetStatus.Succeeded, BatchTargetStatus.Canceled, BatchTargetStatus.Canceled, BatchTargetStatus.Canceled],
            outcome.Targets.Select(t => t.Status));
        Assert.All(outcome.Targets.Skip(1), t => Assert.Equal("the batch was canceled before this target started.", t.Reason));
        Assert.True(outcome.Canceled);
    }

    [Fact]
    public async Task ATargetItsPrepareStepEnds_IsThatResult_WithoutAnActionWorkflow_AndCountsAsAFailure()
    {
        var gone = new BatchTargetResult("gone", BatchTargetStatus.Failed, "no instance named gone.");
        var batch = new Batch(
            Plan([new BatchTarget("gone", null), new BatchTarget("kept", null), new BatchTarget("later", null)], maxConcurrency: 2, maxErrors: 0),
            name => name == "gone" ? new BatchTargetStart(null, gone) : null);
        Assert.Equal(["kept"], batch.Started);

        batch.Finish("kept");
        var outcome = await batch.Run;
        Assert.Equal(["kept"], batch.Started);
        Assert.Equal([BatchTargetStatus.Failed, BatchTargetStatus.Succeeded, BatchTargetStatus.Skipped], outcome.Targets.Select(t => t.Status));
        Assert.Equal("no instance named gone.", outcome.Targets[0].Reason);
        Assert.Null(outcome.Targets[0].OperationId);
        Assert.Equal([FunctionNames.PrepareBatchTarget, FunctionNames.PrepareBatchTarget, FunctionNames.InstanceActionOrchestrator], batch.Context.Calls.Select(c => c.Name));
    }

    private static BatchTarget[] Targets(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new BatchTarget(string.Create(CultureInfo.InvariantCulture, $"t{i}"), "dc-1"))];

    private static BatchPlan Plan(IReadOnlyList<BatchTarget> targets, int maxConcurrency, int maxErrors, int? perZone = null) =>
        new(Tenant, Operation, InstanceAction.Stop, targets, maxConcurrency, maxErrors, perZone);

    /// <summary>A batch running against the fake context; each target's action workflow runs until <see cref="Finish"/>.</summary>
    private sealed class Batch
    {
        private readonly Dictionary<string, TaskCompletionSource<object?>> _actions = new(StringComparer.Ordinal);

        public Batch(BatchPlan plan, Func<string, BatchTargetStart?>? prepare = null)
        {
            Context = new FakeOrchestrationContext($"{Tenant}.{Operation}", plan, Start);
            Context.Activities[FunctionNames.PrepareBatchTarget] = input =>
            {
                var target = (BatchTargetInput)input!;
                Assert.Equal((Tenant, InstanceAction.Stop), (target.TenantId, target.Action));
                return Task.FromResult<object?>(prepare?.Invoke(target.Name) ?? new BatchTargetStart(ActionFor(target.Name), null));
            };
            Context.SubOrchestrations[FunctionNames.InstanceActionOrchestrator] = (input, instanceId) =>
            {
                var action = (ActionPlan)input!;
                var running = new TaskCompletionSource<object?>();
                _actions[action.Name] = running;
                Started.Add(action.Name);
                InstanceIds[action.Name] = instanceId;
                MostRunningAtOnce = Math.Max(MostRunningAtOnce, Running.Count);
                return running.Task;
            };
            Run = BatchActionOrchestrator.RunAsync(Context);
        }

        public FakeOrchestrationContext Context { get; }

        public Task<BatchOutcome> Run { get; }

        /// <summary>The targets whose action workflow was started, in order.</summary>
        public List<string> Started { get; } = [];

        public Dictionary<string, string?> InstanceIds { get; } = new(StringComparer.Ordinal);

        public int MostRunningAtOnce { get; private set; }

        public List<string> Running => [.. Started.Where(name => !_actions[name].Task.IsCompleted)];

        /// <summary>What the batch shows while it runs (its custom status).</summary>
        public BatchOutcome Status => (BatchOutcome)Context.CustomStatus!;

        /// <summary>Ends a target's action workflow: succeeded, or failed with <paramref name="reason"/>.</summary>
        public void Finish(string name, string? reason = null) =>
            _actions[name].SetResult(new InstanceOutcome(name, reason is null ? LifecycleState.Stopped : LifecycleState.Running, reason, "kvm-1", "dc-1"));

        private static ActionPlan ActionFor(string name) => new(
            Tenant, name, OperationIds.NewOperationId(), InstanceAction.Stop, LifecycleState.Running, "kvm-1", "dc-1", "test:///default", null, 30);
    }
}
