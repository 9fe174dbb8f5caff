namespace Serverless.ControlPlane.Agents;

/// <summary>
/// Who presented an agent credential: the agent, or nobody. <see cref="Revoked"/> is true only for the genuine secret of
/// a revoked credential, so that only its holder learns it will never work again.
/// </summary>
public sealed record AgentAuthentication(AgentIdentity? Agent, bool Revoked)
{
    public static readonly AgentAuthentication Refused = new(null, false);
}
