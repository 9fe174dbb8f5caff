using Serverless.Functions.Pools;

namespace Serverless.Functions.Tests;

/// <summary>The pool tick against a fake context: one evaluation activity per partition, all at once, and the pools that acted summed.</summary>
public sealed class PoolEvaluationOrchestratorTests
{
    [Fact]
    public async Task FourPartitions_AreEvaluatedAtOnce_EachByItsIndex_AndTheActingPoolsAreSummed()
    {
        var context = new FakeOrchestrationContext("pool-tick-202612071200", 4, new DateTime(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc));
        var answers = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource<object?>()).ToArray();
        context.Activities[FunctionNames.EvaluatePoolPartition] = input => answers[((PoolPartition)input!).Index].Task;

        var tick = PoolEvaluationFunctions.OrchestrateAsync(context);

        // Every partition is asked before any answers: they run side by side, not one after another.
        Assert.Equal(Enumerable.Range(0, 4).Select(i => new PoolPartition(i, 4)), context.Calls.Select(c => (PoolPartition)c.Input!));
        answers[2].SetResult(3);
        answers[0].SetResult(0);
        answers[3].SetResult(1);
        Assert.False(tick.IsCompleted, "one partition is still being evaluated");
        answers[1].SetResult(2);
        Assert.Equal(6, await tick);
    }
}
