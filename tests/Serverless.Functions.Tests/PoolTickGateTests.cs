using Serverless.Functions.Pools;

namespace Serverless.Functions.Tests;

public sealed class PoolTickGateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(null, PoolTickGate.Verdict.Start)]
    [InlineData(0, PoolTickGate.Verdict.Skip)]
    [InlineData(31, PoolTickGate.Verdict.Skip)]
    [InlineData(299, PoolTickGate.Verdict.Skip)]
    [InlineData(300, PoolTickGate.Verdict.ReplaceStuck)]
    [InlineData(3600, PoolTickGate.Verdict.ReplaceStuck)]
    public void Decide_ByTheAgeOfTheUnfinishedTick(int? startedSecondsAgo, PoolTickGate.Verdict expected) =>
        Assert.Equal(expected, PoolTickGate.Decide(startedSecondsAgo is { } ago ? Now.AddSeconds(-ago) : null, Now, Timeout));
}
