using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;

namespace Serverless.ControlPlane.Instances;

/// <summary>A checked action on an instance: the input of the action orchestration.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Name">The instance's name.</param>
/// <param name="OperationId">The action's operation, which owns the record until it ends.</param>
/// <param name="Action">What to do.</param>
/// <param name="Prior">The state before the action: where a failed action leaves the instance.</param>
/// <param name="HostId">The instance's host.</param>
/// <param name="Zone">The host's zone, whose agent group acts.</param>
/// <param name="HostUri">The host's libvirt URI.</param>
/// <param name="Volume">The instance's disk (terminate deletes it).</param>
/// <param name="GraceSeconds">How long a stop lets the guest shut down before it is powered off.</param>
public sealed record ActionPlan(
    string TenantId, string Name, string OperationId, InstanceAction Action, LifecycleState Prior, string? HostId, string? Zone, string? HostUri,
    InstanceVolume? Volume, int GraceSeconds)
{
    public string InstanceId => $"{TenantId}/{Name}";

    /// <summary>Whether there is anything on a host to act on (a launch that failed before placement left nothing).</summary>
    public bool OnHost => HostUri is not null && Zone is not null;

    /// <summary>The agent's deadline: a stop's grace plus time to power off and answer; a minute for the rest.</summary>
    public int TimeoutSeconds => Action == InstanceAction.Stop ? GraceSeconds + 30 : 60;

    /// <summary>The state a successful action leaves.</summary>
    public LifecycleState Settled => Action switch
    {
        InstanceAction.Start or InstanceAction.Restart or InstanceAction.Resume => LifecycleState.Running,
        InstanceAction.Stop => LifecycleState.Stopped,
        InstanceAction.Suspend => LifecycleState.Suspended,
        _ => LifecycleState.Terminated,
    };

    public (string Kind, JsonElement Payload) Command() => Action switch
    {
        InstanceAction.Start => (CommandKinds.StartInstance, JsonSerializer.SerializeToElement(new InstanceStartPayload(HostUri!, Name), ContractsJsonContext.Default.InstanceStartPayload)),
        InstanceAction.Stop => (CommandKinds.StopInstance, JsonSerializer.SerializeToElement(new InstanceStopPayload(HostUri!, Name, GraceSeconds), ContractsJsonContext.Default.InstanceStopPayload)),
        InstanceAction.Restart => (CommandKinds.RebootInstance, Simple()),
        InstanceAction.Suspend => (CommandKinds.SuspendInstance, Simple()),
        InstanceAction.Resume => (CommandKinds.ResumeInstance, Simple()),
        _ => (CommandKinds.TerminateInstance, JsonSerializer.SerializeToElement(new InstanceTerminatePayload(HostUri!, Name, InstanceId, Volume), ContractsJsonContext.Default.InstanceTerminatePayload)),
    };

    private JsonElement Simple() => JsonSerializer.SerializeToElement(new InstanceActionPayload(HostUri!, Name), ContractsJsonContext.Default.InstanceActionPayload);
}
