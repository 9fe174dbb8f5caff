using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Instances;

namespace Serverless.ControlPlane.Instances;

/// <summary>A checked adoption: the input of the adoption orchestration.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Name">The domain's and the instance's name.</param>
/// <param name="OperationId">The adoption's operation, which owns the record until it ends.</param>
/// <param name="HostId">The host.</param>
/// <param name="Zone">The host's zone.</param>
/// <param name="HostUri">The host's libvirt URI.</param>
public sealed record AdoptPlan(string TenantId, string Name, string OperationId, string HostId, string Zone, string HostUri)
{
    public string InstanceId => $"{TenantId}/{Name}";

    public JsonElement AdoptPayload() =>
        JsonSerializer.SerializeToElement(new InstanceAdoptPayload(HostUri, Name, InstanceId), ContractsJsonContext.Default.InstanceAdoptPayload);
}
