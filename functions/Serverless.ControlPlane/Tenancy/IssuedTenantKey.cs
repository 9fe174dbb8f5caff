namespace Serverless.ControlPlane.Tenancy;

/// <summary>A new key and its token, which is shown this once.</summary>
public sealed record IssuedTenantKey(TenantKey Key, string Token);
