namespace Serverless.ControlPlane.Agents;

/// <summary>The body of <c>POST /api/v1/agent/enrol</c>, sent by an agent being installed.</summary>
/// <param name="Code">The one-time code, <c>en1.&lt;id&gt;.&lt;secret&gt;</c>.</param>
/// <param name="AgentId">The id the agent will have, unique in its tenant.</param>
public sealed record EnrolAgentRequest(string? Code, string? AgentId);
