using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Contracts.Commands;
using Serverless.Functions.Commands;

namespace Serverless.Functions.Zones;

/// <summary>Sends <c>agent.ping</c> to a zone's agent group and ends with the agent's result; fails with the reason otherwise.</summary>
public static class ZonePingOrchestrator
{
    private static readonly JsonElement EmptyPayload = JsonDocument.Parse("{}").RootElement;

    [Function(FunctionNames.ZonePingOrchestrator)]
    public static async Task<CommandResult> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<ZonePingInput>()
            ?? throw new InvalidOperationException("The ping orchestration was started without its input.");
        context.SetCustomStatus(new { stage = "waiting for agent", agentGroup = input.AgentGroup });
        var result = await CommandCalls.SendAndWaitAsync(context, "ping", input.TenantId, input.AgentGroup, CommandKinds.Ping, EmptyPayload, input.TimeoutSeconds, input.Trace);
        context.SetCustomStatus(new { stage = "done", agentGroup = input.AgentGroup });
        return result.Status == CommandStatus.Succeeded
            ? result
            : throw new CommandFailedException(result.Error?.Message ?? $"The command ended {result.Status}.");
    }
}
