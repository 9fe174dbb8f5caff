namespace Serverless.Functions.Pools;

/// <summary>Whether a pool tick may start while an earlier one has not finished.</summary>
public static class PoolTickGate
{
    public enum Verdict
    {
        /// <summary>No earlier tick is unfinished.</summary>
        Start,

        /// <summary>An earlier tick still runs: starting another would evaluate the same pools twice at once.</summary>
        Skip,

        /// <summary>An earlier tick ran past the timeout: it is stuck, and waiting for it would stop evaluation for good.</summary>
        ReplaceStuck,
    }

    public static Verdict Decide(DateTimeOffset? unfinishedStartedAt, DateTimeOffset now, TimeSpan timeout) =>
        unfinishedStartedAt is not { } startedAt ? Verdict.Start
        : now - startedAt < timeout ? Verdict.Skip
        : Verdict.ReplaceStuck;
}
