using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Registration;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Registration;

/// <summary><c>/api/v1/resources</c>: register premise resources, read where they stand, and unregister them.</summary>
public sealed class ResourceFunctions(
    RegistrationService registrations, RegistrationStart start, UnregistrationService unregistrations, InstanceService instances, RequestTenant tenant)
{
    [Function(FunctionNames.RegisterResource)]
    [ApiOperation("Register a virtualization host or SNMP appliance; its zone's agent verifies it.", Request = typeof(RegisterResourceRequest), Response = typeof(ResourceOperationAcceptedResponse), Status = 202, Problems = [409])]
    public async Task<IResult> RegisterAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/resources")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var (body, problem) = await JsonRequestReader.ReadAsync<RegisterResourceRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var plan = await registrations.PrepareAsync(tenantId, body!, cancellationToken);
        if (!plan.Succeeded)
        {
            return ApiResults.Problem(plan.Error);
        }

        var operationId = await start.StartAsync(durableClient, plan.Value, cancellationToken);
        return Accepted(operationId, plan.Value.ResourceId);
    }

    [Function(FunctionNames.ListResources)]
    [ApiOperation("List the tenant's resources, in id order.", Response = typeof(ResourceListResponse), Problems = [400], Query = ["pageSize:integer:Items per page, 1 to 200 (50).", "continuationToken:string:The token of the previous page."])]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/resources")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!QueryParameters.TryGetInt(request, "pageSize", out var pageSize, out var problem))
        {
            return problem;
        }

        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var outcome = await registrations.ListAsync(tenantId, pageSize, request.Query["continuationToken"], cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Ok(new ResourceListResponse(outcome.Value.Items.Select(ResourceResponse.From).ToList(), outcome.Value.ContinuationToken))
            : ApiResults.Problem(outcome.Error);
    }

    [Function(FunctionNames.ListResourceInstances)]
    [ApiOperation("List the domains recorded on a virtualization host; managed: false marks one the API did not make (adopt it with POST /api/v1/instances/adopt).", Response = typeof(ResourceInstancesResponse), Problems = [404])]
    public async Task<IResult> ListInstancesAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/resources/{resourceId}/instances")] HttpRequest request,
        string resourceId,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var outcome = await registrations.ListInstancesAsync(tenantId, resourceId, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error);
        }

        var managed = await instances.ManagedNamesOnAsync(tenantId, resourceId, cancellationToken);
        return TypedResults.Ok(new ResourceInstancesResponse(resourceId, outcome.Value.Select(i => ResourceInstanceResponse.From(i, managed.Contains(i.Name))).ToList()));
    }

    /// <summary>
    /// 202 with the unregistration's operation; 409 with <c>blockingItems</c> while the resource is in use, unless
    /// <c>?force=true</c>, which drains it first; 412 when <c>If-Match</c> names an older version.
    /// </summary>
    [Function(FunctionNames.UnregisterResource)]
    [ApiOperation("Unregister a resource: refused while in use unless forced, which drains it first.", Response = typeof(ResourceOperationAcceptedResponse), Status = 202, Problems = [400, 404, 409, 412], Query = ["force:boolean:Drain the resource (stop its instances) instead of refusing while it is in use."])]
    public async Task<IResult> UnregisterAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "v1/resources/{resourceId}")] HttpRequest request,
        string resourceId,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if (!QueryParameters.TryGetBool(request, "force", out var force, out var problem))
        {
            return problem;
        }

        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var plan = await unregistrations.PlanAsync(tenantId, resourceId, force, ApiResults.IfMatch(request), cancellationToken);
        if (!plan.Succeeded)
        {
            return ApiResults.Problem(plan.Error);
        }

        var operationId = OperationIds.NewOperationId();
        await durableClient.ScheduleNewOrchestrationInstanceAsync(
            FunctionNames.UnregistrationOrchestrator,
            plan.Value,
            new StartOrchestrationOptions(OperationIds.ToInstanceId(tenantId, operationId)),
            cancellationToken);
        return Accepted(operationId, resourceId);
    }

    [Function(FunctionNames.GetResource)]
    [ApiOperation("Read a resource and where its registration stands; ETag gives its version for If-Match.", Response = typeof(ResourceResponse), Problems = [404])]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/resources/{resourceId}")] HttpRequest request,
        string resourceId,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var outcome = await registrations.GetAsync(tenantId, resourceId, cancellationToken);
        return outcome.Succeeded ? ApiResults.OkWithETag(ResourceResponse.From(outcome.Value), outcome.Value.ETag) : ApiResults.Problem(outcome.Error);
    }

    private static IResult Accepted(string operationId, string resourceId)
    {
        var operationUrl = $"/api/v1/operations/{operationId}";
        return TypedResults.Accepted(operationUrl, new ResourceOperationAcceptedResponse(operationId, resourceId, operationUrl));
    }
}
