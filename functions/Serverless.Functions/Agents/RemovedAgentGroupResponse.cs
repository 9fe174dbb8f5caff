using Serverless.ControlPlane.Agents;

namespace Serverless.Functions.Agents;

public sealed record RemovedAgentGroupResponse(string Zone, AgentGroupStatus Status, int RevokedCredentials, DateTimeOffset RemovedAt)
{
    public static RemovedAgentGroupResponse From(RemovedAgentGroup removed) =>
        new(removed.Zone, AgentGroupStatus.Removed, removed.RevokedCredentials, removed.RemovedAt);
}
