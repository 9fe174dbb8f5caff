using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace Serverless.Functions.Http;

/// <summary>The tenant a request acts for, or the 401 problem to answer when it names none.</summary>
public readonly record struct TenantResolution(string? TenantId, IResult? Denied)
{
    public bool IsDenied([NotNullWhen(false)] out string? tenantId, [NotNullWhen(true)] out IResult? denied)
    {
        tenantId = TenantId;
        denied = Denied;
        return Denied is not null || TenantId is null;
    }
}
