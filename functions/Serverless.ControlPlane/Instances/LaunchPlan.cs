using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Instances;

namespace Serverless.ControlPlane.Instances;

/// <summary>A checked launch: the input of the launch orchestration.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Name">The instance's name.</param>
/// <param name="OperationId">The launch's operation, which owns the record until it ends.</param>
/// <param name="VirtualCpus">vCPUs.</param>
/// <param name="MemoryMiB">Memory.</param>
/// <param name="Image">The image.</param>
/// <param name="Resumed">True when this request repeated an earlier one (same client request id): its operation answers.</param>
public sealed record LaunchPlan(string TenantId, string Name, string OperationId, int VirtualCpus, int MemoryMiB, string Image, bool Resumed = false)
{
    public string InstanceId => $"{TenantId}/{Name}";

    public JsonElement DefinePayload(string hostUri) => JsonSerializer.SerializeToElement(
        new InstanceDefinePayload(hostUri, Name, InstanceId, VirtualCpus, MemoryMiB, Image), ContractsJsonContext.Default.InstanceDefinePayload);

    public JsonElement StartPayload(string hostUri) =>
        JsonSerializer.SerializeToElement(new InstanceStartPayload(hostUri, Name), ContractsJsonContext.Default.InstanceStartPayload);

    /// <summary>Undoes a launch that got as far as the host: whatever of the domain and its disk exists goes.</summary>
    public JsonElement TerminatePayload(string hostUri, InstanceVolume? volume) =>
        JsonSerializer.SerializeToElement(new InstanceTerminatePayload(hostUri, Name, InstanceId, volume), ContractsJsonContext.Default.InstanceTerminatePayload);
}
