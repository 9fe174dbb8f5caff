namespace Serverless.RelayAgent.Enrolment;

/// <summary>The body of <c>POST /api/v1/agent/enrol</c>: the one-time code and the id this agent takes.</summary>
internal sealed record EnrolmentRequest(string Code, string AgentId);
