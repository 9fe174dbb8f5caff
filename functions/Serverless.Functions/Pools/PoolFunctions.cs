using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Serverless.ControlPlane.Pools;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Pools;

/// <summary><c>/api/v1/pools</c>: a tenant's hybrid pools; updates and deletes honour <c>If-Match</c>.</summary>
public sealed class PoolFunctions(PoolService pools, RequestTenant tenant)
{
    private const string PageQuery = "pageSize:integer:Items per page, 1 to 200 (50).";
    private const string TokenQuery = "continuationToken:string:The token of the previous page.";

    [Function(FunctionNames.CreatePool)]
    [ApiOperation("Create a pool of members on registered appliances and hosts, with its policy.", Request = typeof(CreatePoolRequest), Response = typeof(PoolResponse), Status = 201, Problems = [409])]
    public async Task<IResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/pools")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var (body, problem) = await JsonRequestReader.ReadAsync<CreatePoolRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await pools.CreateAsync(tenantId, body!, cancellationToken);
        return outcome.Succeeded
            ? ApiResults.CreatedWithETag($"/api/v1/pools/{outcome.Value.PoolId}", PoolResponse.From(outcome.Value), outcome.Value.ETag)
            : ApiResults.Problem(outcome.Error);
    }

    [Function(FunctionNames.GetPool)]
    [ApiOperation("Read a pool: its members with state, zone and latest metric, and its policy; ETag gives its version.", Response = typeof(PoolResponse), Problems = [404])]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/pools/{poolId}")] HttpRequest request,
        string poolId,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var outcome = await pools.DescribeAsync(tenantId, poolId, cancellationToken);
        return outcome.Succeeded
            ? ApiResults.OkWithETag(PoolResponse.From(outcome.Value), outcome.Value.Pool.ETag)
            : ApiResults.Problem(outcome.Error);
    }

    [Function(FunctionNames.ListPools)]
    [ApiOperation("List the tenant's pools, in id order.", Response = typeof(PoolListResponse), Problems = [400], Query = [PageQuery, TokenQuery])]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/pools")] HttpRequest request,
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

        var outcome = await pools.ListAsync(tenantId, pageSize, request.Query["continuationToken"], cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Ok(new PoolListResponse([.. outcome.Value.Items.Select(p => PoolResponse.From(p))], outcome.Value.ContinuationToken))
            : ApiResults.Problem(outcome.Error);
    }

    [Function(FunctionNames.UpdatePool)]
    [ApiOperation("Replace a pool's definition; members kept by id keep their state. 412 on a stale If-Match.", Request = typeof(UpdatePoolRequest), Response = typeof(PoolResponse), Problems = [404, 412])]
    public async Task<IResult> UpdateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "v1/pools/{poolId}")] HttpRequest request,
        string poolId,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var (body, problem) = await JsonRequestReader.ReadAsync<UpdatePoolRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await pools.UpdateAsync(tenantId, poolId, body!, ApiResults.IfMatch(request), cancellationToken);
        return outcome.Succeeded ? ApiResults.OkWithETag(PoolResponse.From(outcome.Value), outcome.Value.ETag) : ApiResults.Problem(outcome.Error);
    }

    [Function(FunctionNames.DeletePool)]
    [ApiOperation("Delete a pool; its members stay as they are on their devices and hosts. 412 on a stale If-Match.", Problems = [404, 412], Status = 204)]
    public async Task<IResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "v1/pools/{poolId}")] HttpRequest request,
        string poolId,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var outcome = await pools.DeleteAsync(tenantId, poolId, ApiResults.IfMatch(request), cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : ApiResults.Problem(outcome.Error);
    }

    [Function(FunctionNames.GetPoolMetrics)]
    [ApiOperation("The readings the members' agents posted of the policy's metric, oldest first, with the policy's thresholds.", Response = typeof(PoolMetricsResponse), Problems = [400, 404], Query = ["minutes:integer:How far back, 1 to 1440 minutes (15)."])]
    public async Task<IResult> GetMetricsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/pools/{poolId}/metrics")] HttpRequest request,
        string poolId,
        CancellationToken cancellationToken)
    {
        if (!QueryParameters.TryGetInt(request, "minutes", out var minutes, out var problem))
        {
            return problem;
        }

        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var outcome = await pools.ReadMetricsAsync(tenantId, poolId, minutes, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(PoolMetricsResponse.From(outcome.Value)) : ApiResults.Problem(outcome.Error);
    }

    [Function(FunctionNames.ListPoolEvents)]
    [ApiOperation("The pool's decision log, newest first: why each member changed, and what agents answered.", Response = typeof(PoolEventListResponse), Problems = [400, 404], Query = [PageQuery, TokenQuery])]
    public async Task<IResult> ListEventsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/pools/{poolId}/events")] HttpRequest request,
        string poolId,
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

        var outcome = await pools.ListEventsAsync(tenantId, poolId, pageSize, request.Query["continuationToken"], cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Ok(new PoolEventListResponse([.. outcome.Value.Items.Select(PoolEventResponse.From)], outcome.Value.ContinuationToken))
            : ApiResults.Problem(outcome.Error);
    }
}
