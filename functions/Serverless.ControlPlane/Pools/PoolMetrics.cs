namespace Serverless.ControlPlane.Pools;

/// <summary>A pool's readings of its policy's metric since <paramref name="Since"/>, per member, oldest first.</summary>
public sealed record PoolMetrics(PoolDefinition Pool, DateTimeOffset Since, IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>> Readings);
