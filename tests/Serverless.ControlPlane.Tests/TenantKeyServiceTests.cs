using System.Collections.Concurrent;
using Serverless.ControlPlane.Tenancy;

namespace Serverless.ControlPlane.Tests;

/// <summary>Tenant API keys (<see cref="TenantKeyService"/>): issued once and stored hashed, revoked at once, and never another tenant's.</summary>
public sealed class TenantKeyServiceTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(At);
    private readonly InMemoryTenantKeyStore _store = new();
    private readonly TenantKeyService _service;

    public TenantKeyServiceTests()
    {
        _service = new TenantKeyService(_store, _clock);
    }

    [Fact]
    public async Task An_issued_key_authenticates_as_its_tenant_until_revoked_and_only_its_hash_is_stored()
    {
        var issued = (await _service.IssueAsync("contoso", new IssueTenantKeyRequest("ci"), CancellationToken.None)).Value!;

        Assert.Equal("contoso", await _service.AuthenticateAsync($"Bearer {issued.Token}", CancellationToken.None));
        Assert.DoesNotContain(issued.Token.Split('.')[2], _store.Stored.Values.Single().SecretHash, StringComparison.Ordinal);

        _clock.Now = At.AddMinutes(5);
        var revoked = await _service.RevokeAsync("contoso", issued.Key.KeyId, CancellationToken.None);
        Assert.Equal(At.AddMinutes(5), revoked.Value!.RevokedAt);
        Assert.Null(await _service.AuthenticateAsync($"Bearer {issued.Token}", CancellationToken.None));

        // Revoking again keeps the first revocation's time.
        _clock.Now = At.AddMinutes(9);
        Assert.Equal(At.AddMinutes(5), (await _service.RevokeAsync("contoso", issued.Key.KeyId, CancellationToken.None)).Value!.RevokedAt);
    }

    [Fact]
    public async Task Another_tenants_key_is_not_found_and_a_wrong_secret_authenticates_nobody()
    {
        var issued = (await _service.IssueAsync("contoso", new IssueTenantKeyRequest(null), CancellationToken.None)).Value!;

        Assert.False((await _service.RevokeAsync("fabrikam", issued.Key.KeyId, CancellationToken.None)).Succeeded);
        Assert.Null(_store.Stored[issued.Key.KeyId].RevokedAt);
        Assert.Null(await _service.AuthenticateAsync($"Bearer {issued.Token[..^3]}xyz", CancellationToken.None));
        Assert.Null(await _service.AuthenticateAsync(issued.Token, CancellationToken.None));
        Assert.False((await _service.IssueAsync("Not A Tenant", new IssueTenantKeyRequest(null), CancellationToken.None)).Succeeded);
    }

    private sealed class InMemoryTenantKeyStore : ITenantKeyStore
    {
        public ConcurrentDictionary<string, TenantKey> Stored { get; } = new();

        public Task<TenantKey?> GetAsync(string keyId, CancellationToken cancellationToken) => Task.FromResult(Stored.GetValueOrDefault(keyId));

        public Task AddAsync(TenantKey key, CancellationToken cancellationToken)
        {
            Stored[key.KeyId] = key;
            return Task.CompletedTask;
        }

        public Task SetRevokedAtAsync(string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken)
        {
            Stored[keyId] = Stored[keyId] with { RevokedAt = revokedAt };
            return Task.CompletedTask;
        }
    }
}
