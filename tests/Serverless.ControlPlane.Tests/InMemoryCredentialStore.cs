using System.Collections.Concurrent;
using Serverless.ControlPlane.Agents;

namespace Serverless.ControlPlane.Tests;

/// <summary>Agent credentials in memory, for service tests.</summary>
internal sealed class InMemoryCredentialStore : IAgentCredentialStore
{
    public ConcurrentDictionary<string, AgentCredential> Stored { get; } = new();

    public Task<AgentCredential?> GetAsync(string credentialId, CancellationToken cancellationToken) =>
        Task.FromResult(Stored.GetValueOrDefault(credentialId));

    public Task AddAsync(AgentCredential credential, CancellationToken cancellationToken)
    {
        Stored[credential.CredentialId] = credential;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AgentCredential>> ListAsync(string tenantId, string agentGroup, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AgentCredential>>(Stored.Values.Where(c => c.TenantId == tenantId && c.AgentGroup == agentGroup).ToList());

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
