using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Validation;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Instances;

/// <summary><c>/api/v1/instances</c>: launch, read, act on and terminate instances, with one request shape in any zone.</summary>
public sealed class InstanceFunctions(InstanceService instances, RequestTenant tenant)
{
    /// <summary>The actions a route names (terminate is <c>DELETE</c>).</summary>
    private static readonly Dictionary<string, InstanceAction> RouteActions = new(StringComparer.Ordinal)
    {
        ["start"] = InstanceAction.Start,
        ["stop"] = InstanceAction.Stop,
        ["restart"] = InstanceAction.Restart,
        ["suspend"] = InstanceAction.Suspend,
        ["resume"] = InstanceAction.Resume,
    };

    [Function(FunctionNames.LaunchInstance)]
    [ApiOperation("Launch an instance in a zone or on a zone selector; placement picks the host. A repeat with the same clientRequestId answers the same operation.",
        Request = typeof(LaunchInstanceRequest), Response = typeof(InstanceOperationAcceptedResponse), Status = 202, Problems = [409])]
    public async Task<IResult> LaunchAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/instances")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var (body, problem) = await JsonRequestReader.ReadAsync<LaunchInstanceRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var plan = await instances.PrepareLaunchAsync(tenantId, body!, cancellationToken);
        if (!plan.Succeeded)
        {
            return ApiResults.Problem(plan.Error);
        }

        await InstanceWorkflows.ScheduleAsync(durableClient, FunctionNames.InstanceLaunchOrchestrator, tenantId, plan.Value.OperationId, plan.Value, cancellationToken);
        return Accepted(plan.Value.OperationId, plan.Value.Name);
    }

    [Function(FunctionNames.AdoptInstance)]
    [ApiOperation("Adopt a domain someone else made on a registered compute host (listed managed: false on GET /api/v1/resources/{host}/instances) as an instance of the same name; it keeps running as it is.",
        Request = typeof(AdoptInstanceRequest), Response = typeof(InstanceOperationAcceptedResponse), Status = 202, Problems = [409])]
    public async Task<IResult> AdoptAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/instances/adopt")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var (body, problem) = await JsonRequestReader.ReadAsync<AdoptInstanceRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var plan = await instances.PrepareAdoptAsync(tenantId, body!, cancellationToken);
        if (!plan.Succeeded)
        {
            return ApiResults.Problem(plan.Error);
        }

        await InstanceWorkflows.ScheduleAsync(durableClient, FunctionNames.InstanceAdoptOrchestrator, tenantId, plan.Value.OperationId, plan.Value, cancellationToken);
        return Accepted(plan.Value.OperationId, plan.Value.Name);
    }

    [Function(FunctionNames.ListInstances)]
    [ApiOperation("List the tenant's instances in name order, optionally only those of a zone, a host, a state or a tag.", Response = typeof(InstanceListResponse), Problems = [400],
        Query = ["zone:string:Only instances placed in this zone.", "host:string:Only instances on this host.", "state:string:Only instances in this state (pending, running, stopped, …).",
            "tag:string:Only instances with this tag, as key=value or key.", "pageSize:integer:Items per page, 1 to 200 (50).", "continuationToken:string:The token of the previous page."])]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/instances")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!QueryParameters.TryGetInt(request, "pageSize", out var pageSize, out var problem))
        {
            return problem;
        }

        // States by their API name only: "Running" or "4" name nothing.
        var state = request.Query["state"] is { Count: > 0 } raw
            ? Enum.GetValues<LifecycleState>().Cast<LifecycleState?>().FirstOrDefault(s => InstanceService.Words(s!.Value) == raw.ToString())
            : null;
        if (request.Query["state"].Count > 0 && state is null)
        {
            return ApiResults.Invalid("The request is not valid.", "See errors.",
                [new FieldError("state", $"must be one of: {string.Join(", ", Enum.GetNames<LifecycleState>().Select(FieldRules.JsonName))}.")]);
        }

        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var filter = new InstanceFilter(request.Query["zone"].FirstOrDefault(), request.Query["host"].FirstOrDefault(), state, request.Query["tag"].FirstOrDefault());
        var outcome = await instances.ListAsync(tenantId, filter, pageSize, request.Query["continuationToken"], cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Ok(new InstanceListResponse([.. outcome.Value.Items.Select(InstanceResponse.From)], outcome.Value.ContinuationToken))
            : ApiResults.Problem(outcome.Error);
    }

    [Function(FunctionNames.GetInstance)]
    [ApiOperation("Read an instance; ETag gives its version for If-Match.", Response = typeof(InstanceResponse), Problems = [404])]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/instances/{name}")] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var outcome = await instances.GetAsync(tenantId, name, cancellationToken);
        return outcome.Succeeded ? ApiResults.OkWithETag(InstanceResponse.From(outcome.Value), outcome.Value.ETag) : ApiResults.Problem(outcome.Error);
    }

    /// <summary>202 with the action's operation; 200 with the instance when the action is already in effect; 409 naming the state when it cannot be done now.</summary>
    [Function(FunctionNames.ActOnInstance)]
    [ApiOperation("Start, stop, restart, suspend (quiesce: paused in memory) or resume an instance; one already so answers 200 without a command.",
        Response = typeof(InstanceOperationAcceptedResponse), Status = 202, Problems = [400, 404, 409, 412])]
    public async Task<IResult> ActAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/instances/{name}/{action}")] HttpRequest request,
        string name,
        string action,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if (!RouteActions.TryGetValue(action, out var parsed))
        {
            return ApiResults.NotFound("instance action", action);
        }

        return await StartActionAsync(request, name, parsed, durableClient, cancellationToken);
    }

    [Function(FunctionNames.TerminateInstance)]
    [ApiOperation("Terminate an instance: destroyed, undefined, its disk deleted; its reservation is freed and the name may be launched again.",
        Response = typeof(InstanceOperationAcceptedResponse), Status = 202, Problems = [404, 409, 412])]
    public Task<IResult> TerminateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "v1/instances/{name}")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        StartActionAsync(request, name, InstanceAction.Terminate, durableClient, cancellationToken);

    private async Task<IResult> StartActionAsync(HttpRequest request, string name, InstanceAction action, DurableTaskClient durableClient, CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var outcome = await instances.PrepareActionAsync(tenantId, name, action, ApiResults.IfMatch(request), cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error);
        }

        if (outcome.Value.Plan is not { } plan)
        {
            return ApiResults.OkWithETag(InstanceResponse.From(outcome.Value.Instance), outcome.Value.Instance.ETag);
        }

        await InstanceWorkflows.ScheduleAsync(durableClient, FunctionNames.InstanceActionOrchestrator, tenantId, plan.OperationId, plan, cancellationToken);
        return Accepted(plan.OperationId, name);
    }

    private static IResult Accepted(string operationId, string name)
    {
        var operationUrl = $"/api/v1/operations/{operationId}";
        return TypedResults.Accepted(operationUrl, new InstanceOperationAcceptedResponse(operationId, name, operationUrl));
    }
}
