using TraceContext = Serverless.Contracts.Commands.TraceContext;

namespace Serverless.Functions.Zones;

/// <summary>The input of <see cref="ZonePingOrchestrator"/>.</summary>
public sealed record ZonePingInput(string TenantId, string AgentGroup, int TimeoutSeconds, TraceContext? Trace);
