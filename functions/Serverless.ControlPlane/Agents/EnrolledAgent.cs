namespace Serverless.ControlPlane.Agents;

/// <summary>What an agent gets for its code: its credential and where it belongs.</summary>
/// <param name="Credential">The agent's uplink credential and token (shown once).</param>
/// <param name="QueueName">The tenant's command queue, whose session the agent's group holds.</param>
public sealed record EnrolledAgent(IssuedAgentCredential Credential, string QueueName, string? ServiceBusConnection);
