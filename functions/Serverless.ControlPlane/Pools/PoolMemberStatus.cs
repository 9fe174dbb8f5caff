namespace Serverless.ControlPlane.Pools;

/// <summary>
/// A member's live state, kept apart from the definition so evaluations and edits do not collide; <see cref="ETag"/>
/// guards each transition (null: no row yet, the member has been Inactive since the pool was written).
/// <see cref="PendingCommandId"/> is the command an Activating or Deactivating member waits for; only its result moves it on.
/// <see cref="ActivationSeconds"/> is how long its last confirmed activation took, from Activating to the agent's
/// confirmation (null: never measured); a schedule window with a measured lead goes in force that much earlier.
/// </summary>
public sealed record PoolMemberStatus(
    string TenantId,
    string PoolId,
    string MemberId,
    MemberState State,
    DateTimeOffset StateSince,
    string? Reason = null,
    string? PendingCommandId = null,
    string? ETag = null,
    int? ActivationSeconds = null);
