using Microsoft.Extensions.Options;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Tests;

/// <summary>Removing a zone's agent group (<see cref="AgentGroupService"/>): every credential of the group revoked at once, the group recorded removed.</summary>
public sealed class AgentGroupServiceTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Removing_a_group_revokes_each_of_its_credentials_and_only_its_own_and_marks_it_removed()
    {
        var clock = new ManualClock(At);
        var zones = new InMemoryZoneStore();
        await zones.TryAddAsync(new Zone("contoso", "dc-1", ZoneKind.Client, null, At), CancellationToken.None);
        var store = new InMemoryCredentialStore();
        var credentials = new AgentCredentialService(store, clock);
        var agents = new InMemoryAgentStores();
        var connectivity = new ConnectivityService(agents, agents, Options.Create(new ConnectivityOptions()), clock);
        var service = new AgentGroupService(zones, credentials, connectivity);
        var inGroup = new List<IssuedAgentCredential>();
        foreach (var agent in new[] { "agent-1", "agent-2" })
        {
            inGroup.Add((await credentials.IssueAsync("contoso", new IssueAgentCredentialRequest(agent, "dc-1"), CancellationToken.None)).Value!);
        }

        var elsewhere = (await credentials.IssueAsync("contoso", new IssueAgentCredentialRequest("agent-3", "dc-2"), CancellationToken.None)).Value!;

        clock.Now = At.AddMinutes(1);
        var removed = (await service.RemoveAsync("contoso", "dc-1", CancellationToken.None)).Value!;

        Assert.Equal(new RemovedAgentGroup("dc-1", 2, At.AddMinutes(1)), removed);
        Assert.All(inGroup, c => Assert.Equal(At.AddMinutes(1), store.Stored[c.Credential.CredentialId].RevokedAt));
        Assert.Null(store.Stored[elsewhere.Credential.CredentialId].RevokedAt);
        Assert.Equal(AgentGroupStatus.Removed, (await agents.GetAsync("contoso", "dc-1", CancellationToken.None))!.Status);
        Assert.False(await connectivity.IsConnectedAsync("contoso", "dc-1", CancellationToken.None));
        Assert.False((await service.RemoveAsync("contoso", "no-such-zone", CancellationToken.None)).Succeeded);
    }
}
