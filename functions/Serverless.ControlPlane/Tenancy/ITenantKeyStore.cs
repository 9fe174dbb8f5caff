namespace Serverless.ControlPlane.Tenancy;

public interface ITenantKeyStore
{
    Task<TenantKey?> GetAsync(string keyId, CancellationToken cancellationToken);

    Task AddAsync(TenantKey key, CancellationToken cancellationToken);

    Task SetRevokedAtAsync(string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken);
}
