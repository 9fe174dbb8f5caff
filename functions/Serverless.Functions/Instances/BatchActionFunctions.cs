using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Operations;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Instances;

/// <summary><c>/api/v1/instances/actions</c>: one action over many instances, with a concurrency cap and an error budget.</summary>
public sealed class BatchActionFunctions(BatchActionService batches, RequestTenant tenant)
{
    [Function(FunctionNames.StartBatchAction)]
    [ApiOperation("Run one action over many instances (names, or a zone/tag selector) at most maxConcurrency at once; after failure maxErrors + 1 (timeouts count) no new target starts and the rest are skipped.",
        Request = typeof(BatchActionRequest), Response = typeof(BatchAcceptedResponse), Status = 202)]
    public async Task<IResult> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/instances/actions")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var (body, problem) = await JsonRequestReader.ReadAsync<BatchActionRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var plan = await batches.PrepareAsync(tenantId, body!, cancellationToken);
        if (!plan.Succeeded)
        {
            return ApiResults.Problem(plan.Error);
        }

        await durableClient.ScheduleNewOrchestrationInstanceAsync(
            FunctionNames.BatchActionOrchestrator, plan.Value, new StartOrchestrationOptions(OperationIds.ToInstanceId(tenantId, plan.Value.OperationId)), cancellationToken);
        var operationUrl = $"/api/v1/operations/{plan.Value.OperationId}";
        return TypedResults.Accepted(operationUrl, new BatchAcceptedResponse(
            plan.Value.OperationId, operationUrl, [.. plan.Value.Targets.Select(t => t.Name)], plan.Value.MaxConcurrency, plan.Value.MaxErrors));
    }

    /// <summary>Stops the batch from starting more targets; those in progress finish, the rest end canceled.</summary>
    [Function(FunctionNames.CancelBatchAction)]
    [ApiOperation("Cancel a batch: no new target starts; targets in progress finish, the rest end canceled.", Status = 202, Problems = [404])]
    public async Task<IResult> CancelAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/instances/actions/{operationId}/cancel")] HttpRequest request,
        string operationId,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var instanceId = OperationIds.IsWellFormed(operationId) ? OperationIds.ToInstanceId(tenantId, operationId) : null;
        var batch = instanceId is null ? null : await durableClient.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (batch is null || batch.Name != FunctionNames.BatchActionOrchestrator)
        {
            return ApiResults.NotFound("batch", operationId);
        }

        await durableClient.RaiseEventAsync(instanceId!, BatchActionOrchestrator.CancelEvent, null, cancellationToken);
        return TypedResults.Accepted($"/api/v1/operations/{operationId}");
    }
}
