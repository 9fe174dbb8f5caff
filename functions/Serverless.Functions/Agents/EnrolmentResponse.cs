namespace Serverless.Functions.Agents;

/// <summary>A new enrolment; <see cref="Code"/> is the only copy of the code, to hand to the agents' installer.</summary>
public sealed record EnrolmentResponse(string EnrolmentId, string TenantId, string Zone, DateTimeOffset ExpiresAt, int UsageLimit, string? Description, string Code);
