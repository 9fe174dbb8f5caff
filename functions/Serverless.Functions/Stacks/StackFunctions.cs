using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Stacks;
using Serverless.Functions.Http;
using Serverless.Functions.Instances;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Stacks;

/// <summary>
/// <c>/api/v1/stacks</c>: plan a template against a stack, apply the plan, retry, roll back, continue a rollback,
/// delete, and read stacks, their items and journal. One run at a time per stack.
/// </summary>
public sealed class StackFunctions(StackService stacks, RequestTenant tenant)
{
    [Function(FunctionNames.PlanStack)]
    [ApiOperation("Plan a template against the stack (created on its first plan): every item's action (create, update, replace, delete, no-op) with its zone and host, by the code the rollout runs. Nothing changes until the plan is applied. The body may be YAML (application/yaml) of the same shape.",
        Request = typeof(StackPlanRequest), Response = typeof(StackPlanResponse), Status = 201, Problems = [400])]
    public async Task<IResult> PlanAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/stacks/{name}/plans")] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var (body, problem) = await JsonRequestReader.ReadAsync<StackPlanRequest>(request, cancellationToken, acceptYaml: true);
        if (problem is not null)
        {
            return problem;
        }

        var plan = await stacks.PlanAsync(tenantId, name, body!, cancellationToken);
        return plan.Succeeded
            ? TypedResults.Created($"/api/v1/stacks/{name}/plans/{plan.Value.PlanId}", StackPlanResponse.From(plan.Value))
            : ApiResults.Problem(plan.Error);
    }

    [Function(FunctionNames.GetStackPlan)]
    [ApiOperation("Read a plan.", Response = typeof(StackPlanResponse), Problems = [404])]
    public async Task<IResult> GetPlanAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/stacks/{name}/plans/{planId}")] HttpRequest request,
        string name,
        string planId,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var plan = await stacks.GetPlanAsync(tenantId, name, planId, cancellationToken);
        return plan.Succeeded ? TypedResults.Ok(StackPlanResponse.From(plan.Value)) : ApiResults.Problem(plan.Error);
    }

    [Function(FunctionNames.ApplyStackPlan)]
    [ApiOperation("Roll a plan out. 409 while another run is under way, or when the stack or the capacity the plan counted on changed since (blockingItems names each difference). Sent again while its rollout runs, it answers that rollout.",
        Response = typeof(StackOperationAcceptedResponse), Status = 202, Problems = [404, 409])]
    public Task<IResult> ApplyAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/stacks/{name}/plans/{planId}/apply")] HttpRequest request,
        string name,
        string planId,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        StartAsync(request, name, durableClient, (tenantId, ct) => stacks.ApplyAsync(tenantId, name, planId, ct), cancellationToken);

    [Function(FunctionNames.RetryStack)]
    [ApiOperation("After a rollout that failed with onFailure: keep, run again only the steps that failed or never ran.",
        Response = typeof(StackOperationAcceptedResponse), Status = 202, Problems = [404, 409])]
    public Task<IResult> RetryAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/stacks/{name}/retry")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        StartAsync(request, name, durableClient, (tenantId, ct) => stacks.RetryAsync(tenantId, name, ct), cancellationToken);

    [Function(FunctionNames.RollBackStack)]
    [ApiOperation("Undo what the runs since the last settled state did (after a kept failure or a failed rollback), in reverse dependency order.",
        Response = typeof(StackOperationAcceptedResponse), Status = 202, Problems = [404, 409])]
    public Task<IResult> RollbackAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/stacks/{name}/rollback")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        StartAsync(request, name, durableClient, (tenantId, ct) => stacks.RollbackAsync(tenantId, name, ct), cancellationToken);

    [Function(FunctionNames.ContinueStackRollback)]
    [ApiOperation("After a failed rollback: try the failed undos again; those named in skip are kept and listed as retained.",
        Request = typeof(ContinueRollbackRequest), Response = typeof(StackOperationAcceptedResponse), Status = 202, Problems = [400, 404, 409])]
    public async Task<IResult> ContinueRollbackAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/stacks/{name}/continue-rollback")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        var body = new ContinueRollbackRequest(null);
        if (request.ContentLength is > 0 || request.ContentType is not null)
        {
            var (read, problem) = await JsonRequestReader.ReadAsync<ContinueRollbackRequest>(request, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            body = read!;
        }

        return await StartAsync(request, name, durableClient, (tenantId, ct) => stacks.ContinueRollbackAsync(tenantId, name, body, ct), cancellationToken);
    }

    [Function(FunctionNames.DeleteStack)]
    [ApiOperation("Delete a stack: undo everything it owns, in reverse dependency order; what it did not make is never touched.",
        Response = typeof(StackOperationAcceptedResponse), Status = 202, Problems = [404, 409])]
    public Task<IResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "v1/stacks/{name}")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        StartAsync(request, name, durableClient, (tenantId, ct) => stacks.DeleteAsync(tenantId, name, ct), cancellationToken);

    [Function(FunctionNames.ListStacks)]
    [ApiOperation("List the tenant's stacks in name order.", Response = typeof(StackListResponse), Problems = [400],
        Query = ["pageSize:integer:Items per page, 1 to 200 (50).", "continuationToken:string:The token of the previous page."])]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/stacks")] HttpRequest request,
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

        var page = await stacks.ListAsync(tenantId, pageSize, request.Query["continuationToken"], cancellationToken);
        return page.Succeeded
            ? TypedResults.Ok(new StackListResponse([.. page.Value.Items.Select(s => new StackSummaryResponse(s.Name, s.Status, s.Version, s.Reason, s.OperationId, s.UpdatedAt))], page.Value.ContinuationToken))
            : ApiResults.Problem(page.Error);
    }

    [Function(FunctionNames.GetStack)]
    [ApiOperation("Read a stack: its status and every item with its state, zone, host and times.", Response = typeof(StackResponse), Problems = [404])]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/stacks/{name}")] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var view = await stacks.GetAsync(tenantId, name, cancellationToken);
        return view.Succeeded ? ApiResults.OkWithETag(StackResponse.From(view.Value), view.Value.Stack.ETag) : ApiResults.Problem(view.Error);
    }

    [Function(FunctionNames.ListStackEvents)]
    [ApiOperation("Read a stack's journal, oldest first: before each step what it will do, its idempotency key and how it is undone; after it, the outcome.",
        Response = typeof(StackEventListResponse), Problems = [400, 404],
        Query = ["pageSize:integer:Items per page, 1 to 200 (50).", "continuationToken:string:The token of the previous page."])]
    public async Task<IResult> ListEventsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/stacks/{name}/events")] HttpRequest request,
        string name,
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

        var page = await stacks.ListEventsAsync(tenantId, name, pageSize, request.Query["continuationToken"], cancellationToken);
        return page.Succeeded ? TypedResults.Ok(new StackEventListResponse(page.Value.Items, page.Value.ContinuationToken)) : ApiResults.Problem(page.Error);
    }

    /// <summary>
    /// Starts a run and schedules its orchestration. A stack found busy has its own run scheduled if that was lost (the
    /// host stopped between recording the run and scheduling it) before the 409 says so.
    /// </summary>
    private async Task<IResult> StartAsync(
        HttpRequest request, string name, DurableTaskClient durableClient, Func<string, CancellationToken, Task<Outcome<StackRun>>> start, CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var run = await start(tenantId, cancellationToken);
        if (!run.Succeeded)
        {
            if (run.Error.Kind == ErrorKind.Conflict && await stacks.CurrentRunAsync(tenantId, name, cancellationToken) is { } current)
            {
                await InstanceWorkflows.ScheduleAsync(durableClient, FunctionNames.StackOrchestrator, tenantId, current.OperationId, current, cancellationToken);
            }

            return ApiResults.Problem(run.Error);
        }

        await InstanceWorkflows.ScheduleAsync(durableClient, FunctionNames.StackOrchestrator, tenantId, run.Value.OperationId, run.Value, cancellationToken);
        var operationUrl = $"/api/v1/operations/{run.Value.OperationId}";
        return TypedResults.Accepted(operationUrl, new StackOperationAcceptedResponse(run.Value.OperationId, name, operationUrl, $"/api/v1/stacks/{name}"));
    }
}
