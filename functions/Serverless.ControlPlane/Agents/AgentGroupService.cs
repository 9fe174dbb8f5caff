using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Agents;

/// <summary>
/// Removes a zone's agent group: every credential of the group is revoked at once, so each agent's next uplink call
/// is told its credential is revoked and the agent closes its session and stops; the group is recorded as removed, so
/// commands for it fail at once. Enrolling a new agent for the zone brings the group back.
/// </summary>
public sealed class AgentGroupService(IZoneStore zones, AgentCredentialService credentials, ConnectivityService connectivity)
{
    public async Task<Outcome<RemovedAgentGroup>> RemoveAsync(string tenantId, string zone, CancellationToken cancellationToken)
    {
        if (await zones.GetAsync(tenantId, zone, cancellationToken) is null)
        {
            return DomainError.NotFound("zone", zone);
        }

        // Revoke before recording: a heartbeat racing the removal then cannot mark the group connected again.
        var revoked = await credentials.RevokeGroupAsync(tenantId, zone, cancellationToken);
        var group = await connectivity.MarkRemovedAsync(tenantId, zone, cancellationToken);
        return new RemovedAgentGroup(zone, revoked, group.ChangedAt);
    }
}
