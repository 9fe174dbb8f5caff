namespace Serverless.ControlPlane.Tenancy;

/// <summary>The body of <c>POST /api/v1/tenants/{tenantId}/keys</c>.</summary>
/// <param name="Description">What the key is for, for example the team or pipeline that holds it.</param>
public sealed record IssueTenantKeyRequest(string? Description);
