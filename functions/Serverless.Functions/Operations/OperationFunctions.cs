using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.ControlPlane.Operations;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Operations;

/// <summary><c>GET /api/v1/operations/{operationId}</c>: status, progress, result or error of any long-running operation.</summary>
public sealed class OperationFunctions(RequestTenant tenant)
{
    [Function(FunctionNames.GetOperation)]
    [ApiOperation("Read a long-running operation: status, progress, result or error.", Response = typeof(OperationResponse), Problems = [404])]
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
            : TypedResults.Ok(OperationResponse.From(operationId, instance));
    }
}
