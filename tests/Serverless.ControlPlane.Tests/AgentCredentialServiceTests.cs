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

        var authentication = await _service.AuthenticateAsync($"Bearer {issued.Token}", CancellationToken.None);

        Assert.Equal(new AgentAuthentication(new AgentIdentity("contoso", "agent-1", "dc-1", issued.Credential.CredentialId), Revoked: false), authentication);
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
        Assert.Equal(AgentAuthentication.Refused, await _service.AuthenticateAsync(header, CancellationToken.None));
    }

    [Fact]
    public async Task A_wrong_secret_authenticates_nobody_and_only_the_true_secret_learns_of_a_revocation()
    {
        var issued = (await _service.IssueAsync("contoso", new IssueAgentCredentialRequest("agent-1", "dc-1"), CancellationToken.None)).Value!;
        var id = issued.Credential.CredentialId;

        Assert.Equal(AgentAuthentication.Refused, await _service.AuthenticateAsync($"Bearer sa1.{id}.not-the-secret", CancellationToken.None));
        _store.Stored[id] = _store.Stored[id] with { RevokedAt = DateTimeOffset.UtcNow };
        Assert.Equal(new AgentAuthentication(null, Revoked: true), await _service.AuthenticateAsync($"Bearer {issued.Token}", CancellationToken.None));
        Assert.Equal(AgentAuthentication.Refused, await _service.AuthenticateAsync($"Bearer sa1.{id}.not-the-secret", CancellationToken.None));
    }

    [Fact]
    public async Task RevokeGroup_RevokesEveryWorkingCredentialOfThatGroupOnly()
    {
        var first = (await _service.IssueAsync("contoso", new IssueAgentCredentialRequest("agent-1", "dc-1"), CancellationToken.None)).Value!;
        var second = (await _service.IssueAsync("contoso", new IssueAgentCredentialRequest("agent-2", "dc-1"), CancellationToken.None)).Value!;
        var otherGroup = (await _service.IssueAsync("contoso", new IssueAgentCredentialRequest("agent-3", "dc-2"), CancellationToken.None)).Value!;
        var otherTenant = (await _service.IssueAsync("fabrikam", new IssueAgentCredentialRequest("agent-1", "dc-1"), CancellationToken.None)).Value!;

        Assert.Equal(2, await _service.RevokeGroupAsync("contoso", "dc-1", CancellationToken.None));
        Assert.Equal(0, await _service.RevokeGroupAsync("contoso", "dc-1", CancellationToken.None));

        foreach (var (token, revoked) in new[] { (first.Token, true), (second.Token, true), (otherGroup.Token, false), (otherTenant.Token, false) })
        {
            Assert.Equal(revoked, (await _service.AuthenticateAsync($"Bearer {token}", CancellationToken.None)).Revoked);
        }
    }

    [Fact]
    public async Task Bad_agent_ids_and_groups_are_named()
    {
        var outcome = await _service.IssueAsync("contoso", new IssueAgentCredentialRequest("Agent 1", null), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal(["agentId", "agentGroup"], outcome.Error!.Fields.Select(f => f.Field));
    }
}
