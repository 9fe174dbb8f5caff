using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Instances;

namespace Serverless.ControlPlane.Registration;

/// <summary>
/// A checked unregistration: the input of the unregistration orchestration. <see cref="ETag"/> is the version of the
/// resource the caller's request was checked against; <see cref="Drain"/> names the instances a forced unregistration
/// stops first.
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
    int GraceSeconds)
{
    /// <summary>The agent's deadline for one stop: the guest's grace, then time to destroy it and answer.</summary>
    public int StopTimeoutSeconds => GraceSeconds + 30;

    public JsonElement StopPayload(string instance) =>
        JsonSerializer.SerializeToElement(new InstanceStopPayload(Endpoint, instance, GraceSeconds), ContractsJsonContext.Default.InstanceStopPayload);

    public JsonElement UninstallPayload() => JsonSerializer.SerializeToElement(
        Kind == ResourceKind.VirtualizationHost
            ? new ResourceUninstallPayload(ResourceId, LibvirtUri: Endpoint)
            : new ResourceUninstallPayload(ResourceId, SnmpAddress: Endpoint),
        ContractsJsonContext.Default.ResourceUninstallPayload);
}
