using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Serverless.ControlPlane.Tenancy;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Tenancy;

/// <summary>
/// Tenant API keys, for the platform's admin (master key): <c>POST /api/v1/tenants/{tenantId}/keys</c> issues one, shown
/// once; <c>DELETE /api/v1/tenants/{tenantId}/keys/{keyId}</c> revokes one at once.
/// </summary>
public sealed class TenantKeyFunctions(TenantKeyService keys, ILogger<TenantKeyFunctions> logger)
{
    [Function(FunctionNames.IssueTenantKey)]
    [ApiOperation("Issue an API key for a tenant; the key is shown once.", Request = typeof(IssueTenantKeyRequest), Response = typeof(TenantKeyResponse), Status = 201, Caller = ApiCaller.Admin)]
    public async Task<IResult> IssueAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/tenants/{tenantId}/keys")] HttpRequest request,
        string tenantId,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestReader.ReadAsync<IssueTenantKeyRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await keys.IssueAsync(tenantId, body!, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error);
        }

        var key = outcome.Value.Key;
        Logs.TenantKeyIssued(logger, key.KeyId, key.TenantId);
        return TypedResults.Created($"/api/v1/tenants/{key.TenantId}/keys/{key.KeyId}",
            new TenantKeyResponse(key.KeyId, key.TenantId, key.Description, key.CreatedAt, null, outcome.Value.Token));
    }

    [Function(FunctionNames.RevokeTenantKey)]
    [ApiOperation("Revoke a tenant API key at once.", Response = typeof(TenantKeyResponse), Problems = [404], Caller = ApiCaller.Admin)]
    public async Task<IResult> RevokeAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "delete", Route = "v1/tenants/{tenantId}/keys/{keyId}")] HttpRequest request,
        string tenantId,
        string keyId,
        CancellationToken cancellationToken)
    {
        var outcome = await keys.RevokeAsync(tenantId, keyId, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error);
        }

        var key = outcome.Value;
        Logs.TenantKeyRevoked(logger, key.KeyId, key.TenantId);
        return TypedResults.Ok(new TenantKeyResponse(key.KeyId, key.TenantId, key.Description, key.CreatedAt, key.RevokedAt, null));
    }
}
