namespace Serverless.ControlPlane.Pools;

/// <summary>
/// What one tick decided for a pool, written all or nothing: the members' transitions and the evaluator's state, each
/// conditional on the version the tick read (<see cref="PoolState.ETag"/> null: no state row yet). Null
/// <paramref name="State"/> leaves the state as it is.
/// </summary>
public sealed record PoolCommit(string TenantId, string PoolId, IReadOnlyList<PoolTransition> Transitions, PoolState? State);
