using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Serverless.ControlPlane.Zones;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Zones;

/// <summary><c>/api/v1/zones</c>: the provider and client zones of a tenant.</summary>
public sealed class ZoneFunctions(ZoneService zones, RequestTenant tenant)
{
    [Function(FunctionNames.CreateZone)]
    [ApiOperation("Create a provider or client zone.", Request = typeof(CreateZoneRequest), Response = typeof(ZoneResponse), Status = 201, Problems = [409])]
    public async Task<IResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/zones")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var (body, problem) = await JsonRequestReader.ReadAsync<CreateZoneRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await zones.CreateAsync(tenantId, body!, cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/v1/zones/{outcome.Value.Name}", ZoneResponse.From(outcome.Value))
            : ApiResults.Problem(outcome.Error);
    }

    [Function(FunctionNames.GetZone)]
    [ApiOperation("Read a zone.", Response = typeof(ZoneResponse), Problems = [404])]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/zones/{name}")] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var outcome = await zones.GetAsync(tenantId, name, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(ZoneResponse.From(outcome.Value)) : ApiResults.Problem(outcome.Error);
    }

    [Function(FunctionNames.ListZones)]
    [ApiOperation("List the tenant's zones, in name order.", Response = typeof(ZoneListResponse), Problems = [400], Query = ["pageSize:integer:Items per page, 1 to 200 (50).", "continuationToken:string:The token of the previous page."])]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/zones")] HttpRequest request,
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

        var outcome = await zones.ListAsync(tenantId, pageSize, request.Query["continuationToken"], cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Ok(new ZoneListResponse(outcome.Value.Items.Select(ZoneResponse.From).ToList(), outcome.Value.ContinuationToken))
            : ApiResults.Problem(outcome.Error);
    }
}
