using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Zones;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Agents;

/// <summary>
/// <c>/api/v1/zones/{name}/agents</c>: whether the zone's agents are connected and each one's last heartbeat; DELETE
/// removes the zone's agent group.
/// </summary>
public sealed class ZoneAgentsFunctions(
    ZoneService zones,
    ConnectivityService connectivity,
    AgentGroupService groups,
    RequestTenant tenant,
    ILogger<ZoneAgentsFunctions> logger)
{
    [Function(FunctionNames.GetZoneAgents)]
    [ApiOperation("The zone's agent group: connectivity and each agent's last heartbeat.", Response = typeof(ZoneAgentsResponse), Problems = [404])]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/zones/{name}/agents")] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var zone = await zones.GetAsync(tenantId, name, cancellationToken);
        if (!zone.Succeeded)
        {
            return ApiResults.Problem(zone.Error);
        }

        var (group, agents) = await connectivity.DescribeAsync(tenantId, name, cancellationToken);
        return TypedResults.Ok(new ZoneAgentsResponse(
            name,
            group?.Status ?? AgentGroupStatus.Unknown,
            agents.Count > 0 ? agents.Max(a => a.ReceivedAt) : null,
            agents.OrderBy(a => a.AgentId, StringComparer.Ordinal).Select(a => new ZoneAgentResponse(a.AgentId, JsonNamingPolicy.CamelCase.ConvertName(a.Role), a.ReceivedAt, a.HostName, a.AgentVersion)).ToList()));
    }

    [Function(FunctionNames.RemoveZoneAgents)]
    [ApiOperation("Remove the zone's agent group: revoke its credentials; its agents stop.", Response = typeof(RemovedAgentGroupResponse), Problems = [404])]
    public async Task<IResult> RemoveAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "v1/zones/{name}/agents")] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var outcome = await groups.RemoveAsync(tenantId, name, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error);
        }

        Logs.AgentGroupRemoved(logger, tenantId, name, outcome.Value.RevokedCredentials);
        return TypedResults.Ok(RemovedAgentGroupResponse.From(outcome.Value));
    }
}
