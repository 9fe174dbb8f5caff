namespace Serverless.ControlPlane.Agents;

/// <summary>The body of <c>POST /api/v1/enrolments</c>.</summary>
/// <param name="Zone">The zone the agents will serve (their agent group).</param>
/// <param name="ExpiresInHours">Validity; 24 hours by default, at most 720 (30 days).</param>
/// <param name="ExpiresAt">An exact expiry instead, within the next 30 days.</param>
/// <param name="UsageLimit">How many agents may enrol with the code; 1 by default, at most 1000.</param>
/// <param name="Description">Free text for the admin.</param>
public sealed record CreateEnrolmentRequest(string? Zone, int? ExpiresInHours, int? UsageLimit, string? Description, DateTimeOffset? ExpiresAt = null);
