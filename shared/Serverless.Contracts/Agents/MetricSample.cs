namespace Serverless.Contracts.Agents;

/// <summary>One measurement of one metric of one resource.</summary>
/// <param name="ResourceId">The measured resource or pool member.</param>
/// <param name="Metric">The metric's name, for example <c>cpu.load</c>.</param>
/// <param name="Value">The measured value.</param>
/// <param name="At">When it was measured.</param>
public sealed record MetricSample(string ResourceId, string Metric, double Value, DateTimeOffset At);
