using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Snmp;
using Serverless.ControlPlane.Pools;

namespace Serverless.ControlPlane.Registration;

/// <summary>
/// A checked unregistration: the input of the unregistration orchestration. <see cref="ETag"/> is the version of the
/// resource the caller's request was checked against; <see cref="Drain"/> names the instances a forced unregistration
/// stops first, <see cref="Members"/> the pool members on the resource it deactivates first.
/// </summary>
public sealed record UnregistrationPlan(
    string TenantId,
    string ResourceId,
    string Zone,
    ResourceKind Kind,
    string Endpoint,
    bool Force,
    string ETag,
    IReadOnlyList<string> Drain,
    int GraceSeconds,
    IReadOnlyList<PoolMemberDrain>? Members = null,
    string? Credential = null,
    string? DeviceProfile = null)
{
    /// <summary>The agent's deadline for one stop: the guest's grace, then time to destroy it and answer.</summary>
    public int StopTimeoutSeconds => GraceSeconds + 30;

    public JsonElement StopPayload(string instance) =>
        JsonSerializer.SerializeToElement(new InstanceStopPayload(Endpoint, instance, GraceSeconds), ContractsJsonContext.Default.InstanceStopPayload);

    /// <summary>The command that takes a pool member out of service: its profile's deactivation on an appliance, a stop on a host.</summary>
    public (string Kind, JsonElement Payload) MemberDrainCommand(PoolMemberDrain member) => member.Index is not null
        ? (CommandKinds.DeactivateMember, JsonSerializer.SerializeToElement(
            new MemberActionPayload(PoolCommandCorrelation.MemberKey(member.PoolId, member.MemberId), ApplianceMembers.At(Endpoint, Credential, DeviceProfile, member.Index)),
            ContractsJsonContext.Default.MemberActionPayload))
        : (CommandKinds.StopInstance, StopPayload(member.Instance!));

    /// <summary>Asks the host what it holds (<c>instance.list</c>) before anything is changed.</summary>
    public JsonElement ListPayload() =>
        JsonSerializer.SerializeToElement(new InstanceListPayload(Endpoint), ContractsJsonContext.Default.InstanceListPayload);

    public JsonElement UninstallPayload() => JsonSerializer.SerializeToElement(
        Kind == ResourceKind.VirtualizationHost
            ? new ResourceUninstallPayload(ResourceId, LibvirtUri: Endpoint)
            : new ResourceUninstallPayload(ResourceId, SnmpAddress: Endpoint),
        ContractsJsonContext.Default.ResourceUninstallPayload);
}
