using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Serverless.ControlPlane.Tenancy;

namespace Serverless.Functions.Http;

/// <summary>
/// Decides which tenant a request acts for: the configured default tenant, the tenant of the request's API key, or the
/// tenant the directory of the request's Entra ID token maps to.
/// Everything a tenant-scoped route touches is then looked up under that tenant, so another tenant's objects are
/// simply not found (404, never 403).
/// </summary>
public sealed class RequestTenant(IOptions<TenancyOptions> options, TenantKeyService keys, Lazy<EntraIdTokenValidator> entraId)
{
    public async Task<TenantResolution> ResolveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (options.Value.Mode == TenancyMode.DefaultTenant)
        {
            return new TenantResolution(options.Value.DefaultTenantId, null);
        }

        if (options.Value.Mode == TenancyMode.EntraId)
        {
            var (entraTenant, refusal) = await entraId.Value.ValidateAsync(request.Headers.Authorization, cancellationToken);
            return entraTenant is not null
                ? new TenantResolution(entraTenant, null)
                : new TenantResolution(null, TypedResults.Problem(
                    $"Send 'Authorization: Bearer <access token>' from Entra ID for this API: {refusal}.",
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "No valid Entra ID token.",
                    type: ProblemTypes.Unauthorized));
        }

        var tenantId = await keys.AuthenticateAsync(request.Headers.Authorization, cancellationToken);
        return tenantId is not null
            ? new TenantResolution(tenantId, null)
            : new TenantResolution(null, TypedResults.Problem(
                "Send 'Authorization: Bearer tk1.<key id>.<secret>' with one of your tenant's API keys.",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "No valid tenant API key.",
                type: ProblemTypes.Unauthorized));
    }
}
