using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Telemetry;
using Serverless.ControlPlane.Validation;
using Serverless.ControlPlane.Zones;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Zones;

/// <summary>
/// <c>POST /api/v1/zones/{name}/ping</c>: proves the command channel to a zone end to end. The zone's agent group answers
/// <c>agent.ping</c> through Service Bus and the HTTPS uplink; the operation ends with its result, or fails at the deadline.
/// </summary>
public sealed class ZonePingFunctions(ZoneService zones, CommandService commands, RequestTenant tenant)
{
    public const int MaxTimeoutSeconds = 300;

    [Function(FunctionNames.PingZone)]
    [ApiOperation("Send agent.ping to the zone's agent group; the operation ends with the agent's answer.", Response = typeof(PingAcceptedResponse), Status = 202, Problems = [400, 404], Query = ["timeoutSeconds:integer:How long to wait for the agent (the channel's default when absent)."])]
    public async Task<IResult> PingAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/zones/{name}/ping")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        var timeoutSeconds = commands.Options.DefaultTimeoutSeconds;
        if (request.Query.TryGetValue("timeoutSeconds", out var raw)
            && (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out timeoutSeconds) || timeoutSeconds is < 1 or > MaxTimeoutSeconds))
        {
            return ApiResults.Invalid("The request is not valid.", "See errors.", [new FieldError("timeoutSeconds", $"must be a whole number of seconds from 1 to {MaxTimeoutSeconds}.")]);
        }

        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var zone = await zones.GetAsync(tenantId, name, cancellationToken);
        if (!zone.Succeeded)
        {
            return ApiResults.Problem(zone.Error);
        }

        var operationId = OperationIds.NewOperationId();
        await durableClient.ScheduleNewOrchestrationInstanceAsync(
            FunctionNames.ZonePingOrchestrator,
            new ZonePingInput(tenantId, zone.Value.AgentGroup, timeoutSeconds, ControlPlaneTelemetry.ContextOf(Activity.Current)),
            new StartOrchestrationOptions(OperationIds.ToInstanceId(tenantId, operationId)),
            cancellationToken);
        var operationUrl = $"/api/v1/operations/{operationId}";
        return TypedResults.Accepted(operationUrl, new PingAcceptedResponse(operationId, zone.Value.Name, zone.Value.AgentGroup, operationUrl));
    }
}
