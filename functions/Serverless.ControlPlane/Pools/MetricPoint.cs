namespace Serverless.ControlPlane.Pools;

/// <summary>One reading of a member's metric.</summary>
public readonly record struct MetricPoint(DateTimeOffset At, double Value);
