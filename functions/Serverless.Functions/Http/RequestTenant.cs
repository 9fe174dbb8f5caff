using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Serverless.Functions.Http;

/// <summary>Decides which tenant a request acts for. Today: the configured default tenant.</summary>
public sealed class RequestTenant(IOptions<TenancyOptions> options)
{
    public string Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return options.Value.DefaultTenantId;
    }
}
