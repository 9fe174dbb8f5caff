using System.Collections.Concurrent;
using Serverless.ControlPlane.Agents;

namespace Serverless.ControlPlane.Tests;

public sealed class AgentCredentialServiceTests
{
    private readonly InMemoryCredentialStore _store = new();
    private readonly AgentCredentialService _service;

    public AgentCredentialServiceTests()
    {
        _service = new AgentCredentialService(_store, TimeProvider.System);
    }

    [Fact]
    public async Task An_issued_token_authenticates_as_its_agent_and_only_a_hash_is_stored()
    {
        var issued = (await _service.IssueAsync("contoso", new IssueAgentCredentialRequest("agent-1", "dc-1"), CancellationToken.None)).Value!;

        var identity = await _service.AuthenticateAsync($"Bearer {issued.Token}", CancellationToken.None);

        Assert.Equal(new AgentIdentity("contoso", "agent-1", "dc-1", issued.Credential.CredentialId), identity);
        var secret = issued.Token.Split('.')[2];
        Assert.DoesNotContain(secret, _store.Stored.Values.Single().SecretHash, StringComparison.Ordinal);
        Assert.Equal(64, _store.Stored.Values.Single().SecretHash.Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic abc")]
    [InlineData("Bearer")]
    [InlineData("Bearer sa2.0123456789abcdef0123456789abcdef.secret")]
    [InlineData("Bearer sa1.short.secret")]
    [InlineData("Bearer sa1.0123456789abcdef0123456789abcdef")]
    [InlineData("Bearer sa1.0123456789abcdef0123456789abcdef.secret.extra")]
    public async Task Malformed_or_unknown_tokens_authenticate_nobody(string? header)
    {
        Assert.Null(await _service.AuthenticateAsync(header, CancellationToken.None));
    }

    [Fact]
    public async Task A_wrong_secret_or_a_revoked_credential_authenticates_nobody()
    {
        var issued = (await _service.IssueAsync("contoso", new IssueAgentCredentialRequest("agent-1", "dc-1"), CancellationToken.None)).Value!;
        var id = issued.Credential.CredentialId;

        Assert.Null(await _service.AuthenticateAsync($"Bearer sa1.{id}.not-the-secret", CancellationToken.None));
        _store.Stored[id] = _store.Stored[id] with { RevokedAt = DateTimeOffset.UtcNow };
        Assert.Null(await _service.AuthenticateAsync($"Bearer {issued.Token}", CancellationToken.None));
    }

    [Fact]
    public async Task Bad_agent_ids_and_groups_are_named()
    {
        var outcome = await _service.IssueAsync("contoso", new IssueAgentCredentialRequest("Agent 1", null), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal(["agentId", "agentGroup"], outcome.Error!.Fields.Select(f => f.Field));
    }

    private sealed class InMemoryCredentialStore : IAgentCredentialStore
    {
        public ConcurrentDictionary<string, AgentCredential> Stored { get; } = new();

        public Task<AgentCredential?> GetAsync(string credentialId, CancellationToken cancellationToken) =>
            Task.FromResult(Stored.GetValueOrDefault(credentialId));

        public Task AddAsync(AgentCredential credential, CancellationToken cancellationToken)
        {
            Stored[credential.CredentialId] = credential;
            return Task.CompletedTask;
        }

        public Task<bool> SetRevokedAtAsync(string credentialId, DateTimeOffset revokedAt, CancellationToken cancellationToken)
        {
            if (!Stored.TryGetValue(credentialId, out var credential))
            {
                return Task.FromResult(false);
            }

            Stored[credentialId] = credential with { RevokedAt = revokedAt };
            return Task.FromResult(true);
        }
    }
}
