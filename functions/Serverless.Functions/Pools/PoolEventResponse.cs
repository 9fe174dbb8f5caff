using Serverless.ControlPlane.Pools;

namespace Serverless.Functions.Pools;

/// <summary>An entry of a pool's decision log: a decision of the evaluator (<c>decision</c>) or an agent's answer (<c>result</c>).</summary>
public sealed record PoolEventResponse(DateTimeOffset At, string Kind, string Reason, double? Load, IReadOnlyList<MemberChange> Changes)
{
    public static PoolEventResponse From(PoolEvent e) => new(e.At, e.Kind, e.Reason, e.Load, e.Changes);
}
