using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Validation;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Operations;

/// <summary>
/// <c>GET /api/v1/operations[/{operationId}]</c>: status, progress, result or error of long-running operations, and for
/// one that has made no progress for two minutes what it is waiting on.
/// </summary>
public sealed class OperationFunctions(RequestTenant tenant, OperationStallService stalls)
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 200;

    [Function(FunctionNames.GetOperation)]
    [ApiOperation("Read a long-running operation: status, progress, result or error, and `stuck` when it has made no progress for 2 minutes.",
        Response = typeof(OperationResponse), Problems = [404])]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/operations/{operationId}")] HttpRequest request,
        string operationId,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if (!OperationIds.IsWellFormed(operationId))
        {
            return ApiResults.NotFound("operation", operationId);
        }

        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var instanceId = OperationIds.ToInstanceId(tenantId, operationId);
        var instance = await durableClient.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        return instance is null
            ? ApiResults.NotFound("operation", operationId)
            : TypedResults.Ok(OperationResponse.From(operationId, instance, await StallOfAsync(tenantId, instance, cancellationToken)));
    }

    [Function(FunctionNames.ListOperations)]
    [ApiOperation("List the tenant's operations (in id order, results left out), optionally only those in the given statuses; each one stalled says what it waits on.",
        Response = typeof(OperationListResponse), Problems = [400],
        Query = ["status:string:Only these statuses, comma-separated (pending, running, succeeded, failed, canceled).",
            "createdAfter:string:Only operations created after this time (ISO 8601, with an offset).", "pageSize:integer:Items per page, 1 to 200 (50).",
            "continuationToken:string:The token of the previous page."])]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/operations")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if (!QueryParameters.TryGetInt(request, "pageSize", out var pageSize, out var problem))
        {
            return problem;
        }

        var errors = new List<FieldError>();
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add(new FieldError("pageSize", $"must be 1 to {MaxPageSize}."));
        }

        var statuses = ParseStatuses(request.Query["status"].ToString(), errors);
        DateTimeOffset? createdAfter = null;
        if (request.Query["createdAfter"] is { Count: > 0 } after)
        {
            if (after.Count == 1 && DateTimeOffset.TryParse(after[0], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && HasOffset(after[0]!))
            {
                createdAfter = parsed;
            }
            else
            {
                errors.Add(new FieldError("createdAfter", "must be one ISO 8601 time with an offset, for example 2026-12-02T10:00:00Z."));
            }
        }

        if (errors.Count > 0)
        {
            return ApiResults.Invalid("The query is not valid.", "See errors.", errors);
        }

        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var query = new OrchestrationQuery
        {
            // The dot ends the tenant: tenant "a" does not see tenant "ab"'s operations.
            InstanceIdPrefix = OperationIds.ToInstanceId(tenantId, string.Empty),
            Statuses = statuses,
            CreatedFrom = createdAfter,
            PageSize = pageSize ?? DefaultPageSize,
            ContinuationToken = request.Query["continuationToken"].FirstOrDefault(),
            FetchInputsAndOutputs = false,
        };
        await foreach (var page in durableClient.GetAllInstancesAsync(query).AsPages(query.ContinuationToken, query.PageSize).WithCancellation(cancellationToken))
        {
            var stuck = await Task.WhenAll(page.Values.Select(i => StallOfAsync(tenantId, i, cancellationToken)));
            var items = page.Values.Select((instance, i) => OperationResponse.From(OperationIds.FromInstanceId(instance.InstanceId), instance, stuck[i])).ToList();
            return TypedResults.Ok(new OperationListResponse(items, page.ContinuationToken));
        }

        return TypedResults.Ok(new OperationListResponse([], null));
    }

    private Task<OperationStall?> StallOfAsync(string tenantId, OrchestrationMetadata instance, CancellationToken cancellationToken) =>
        stalls.CheckAsync(tenantId, instance.InstanceId, OperationResponse.ToStatus(instance.RuntimeStatus), instance.CreatedAt, cancellationToken);

    // A time without an offset would be read in the server's zone: refused rather than guessed.
    private static bool HasOffset(string time) => time.EndsWith('Z') || time.EndsWith('z') || time.Length > 6 && time[^6] is '+' or '-' && time[^3] == ':';

    /// <summary>The API's status words to the durable runtime statuses they stand for; null when none are asked for.</summary>
    private static List<OrchestrationRuntimeStatus>? ParseStatuses(string raw, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        var runtime = new List<OrchestrationRuntimeStatus>();
        foreach (var word in raw.Split(',', StringSplitOptions.TrimEntries))
        {
            switch (word)
            {
                case "pending": runtime.Add(OrchestrationRuntimeStatus.Pending); break;
                case "running": runtime.AddRange([OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended]); break;
                case "succeeded": runtime.Add(OrchestrationRuntimeStatus.Completed); break;
                case "failed": runtime.Add(OrchestrationRuntimeStatus.Failed); break;
                case "canceled": runtime.Add(OrchestrationRuntimeStatus.Terminated); break;
                default:
                    errors.Add(new FieldError("status", $"'{word}' is not one of: pending, running, succeeded, failed, canceled."));
                    return null;
            }
        }

        return runtime;
    }
}
