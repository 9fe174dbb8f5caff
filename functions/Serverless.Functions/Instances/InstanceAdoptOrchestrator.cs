using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Instances;
using Serverless.Functions.Commands;
using Serverless.Functions.Registration;

namespace Serverless.Functions.Instances;

/// <summary>
/// An adoption: <c>instance.adopt</c> on the host (the agent stamps the instance's id into the domain and reports it)
/// → record the instance with what the host reported and count it in the host's reservations; a refusal removes the
/// pending record. The command id is derived from the orchestration, so a host killed at any step repeats the command,
/// which the agent absorbs.
/// </summary>
public static class InstanceAdoptOrchestrator
{
    private const int AdoptTimeoutSeconds = 60;

    [Function(FunctionNames.InstanceAdoptOrchestrator)]
    public static async Task<InstanceOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var plan = context.GetInput<AdoptPlan>() ?? throw new InvalidOperationException("The adoption orchestration was started without a plan.");
        context.SetCustomStatus(new InstanceProgress("adopting", plan.HostId));
        var adopted = await CommandCalls.SendAndWaitAsync(context, "adopt", plan.TenantId, plan.Zone, CommandKinds.AdoptInstance, plan.AdoptPayload(), AdoptTimeoutSeconds, null);
        var domain = adopted.Status == CommandStatus.Succeeded ? adopted.Output?.Deserialize(ContractsJsonContext.Default.InstanceAdoptOutput) : null;
        var outcome = await context.CallActivityAsync<InstanceOutcome>(
            FunctionNames.RecordAdoption, new AdoptionResult(plan, domain, domain is null ? CommandResults.Describe(adopted) : null), RecordingRetry.Options);
        context.SetCustomStatus(new InstanceProgress("done", plan.HostId));
        return outcome;
    }
}
