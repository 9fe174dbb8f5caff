namespace Serverless.ControlPlane.Stacks;

/// <summary>
/// A stack: its status, the template last applied (what plans compare against, with the items), and the operation
/// running on it. <see cref="Version"/> grows with every run, so a plan made before knows it is stale.
/// </summary>
public sealed record StackRecord
{
    public required string TenantId { get; init; }

    public required string Name { get; init; }

    public required StackStatus Status { get; init; }

    public required int Version { get; init; }

    /// <summary>The current or last operation; its id names the orchestration.</summary>
    public string? OperationId { get; init; }

    /// <summary>The plan the current or last rollout applies.</summary>
    public string? PlanId { get; init; }

    /// <summary>The template and parameters of the last successful rollout, as sent.</summary>
    public string? AppliedTemplate { get; init; }

    public FailureMode OnFailure { get; init; }

    /// <summary>The version of the last settled state (succeeded, rolled back, deleted): a rollback undoes the items changed after it.</summary>
    public int Settled { get; init; }

    /// <summary>What the current or last run does; with <see cref="Skip"/>, enough to schedule it again if its start was lost.</summary>
    public StackRunKind? RunKind { get; init; }

    public IReadOnlyList<string> Skip { get; init; } = [];

    public string? Reason { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Outputs { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public string? ETag { get; init; }

    public bool IsBusy => Status is StackStatus.RollingOut or StackStatus.RollingBack or StackStatus.Deleting;
}
