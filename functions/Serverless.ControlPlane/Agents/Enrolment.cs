namespace Serverless.ControlPlane.Agents;

/// <summary>
/// A one-time code an admin creates for a zone, which agents exchange for their own uplink credential (like a hybrid
/// activation). Only a hash of the code's secret is stored.
/// </summary>
/// <param name="EnrolmentId">Public id, part of the code.</param>
/// <param name="TenantId">The tenant the agents will serve.</param>
/// <param name="Zone">The zone, which is the agents' group.</param>
/// <param name="SecretHash">SHA-256 of the code's secret.</param>
/// <param name="Description">What the admin wrote it for.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ExpiresAt">After this it is refused.</param>
/// <param name="UsageLimit">How many agents may enrol with it.</param>
/// <param name="EnrolledAgents">The agents that did, in order.</param>
/// <param name="Version">The store's concurrency token (ETag), so two agents cannot both take the last use.</param>
public sealed record Enrolment(
    string EnrolmentId,
    string TenantId,
    string Zone,
    string SecretHash,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int UsageLimit,
    IReadOnlyList<string> EnrolledAgents,
    string? Version = null);
