using System.Text.Json;

namespace Serverless.ControlPlane.Stacks;

/// <summary>
/// A computed plan: every item's action against the stack as it was at <see cref="BasedOnVersion"/>. Applying it
/// re-plans with the same code and refuses if anything differs.
/// </summary>
public sealed record StackPlan
{
    public required string TenantId { get; init; }

    public required string Stack { get; init; }

    public required string PlanId { get; init; }

    /// <summary>The template as sent.</summary>
    public required JsonElement Template { get; init; }

    public IReadOnlyDictionary<string, JsonElement> Parameters { get; init; } = new Dictionary<string, JsonElement>();

    public required int BasedOnVersion { get; init; }

    public required IReadOnlyList<StackStep> Steps { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The rollout that applied it, once applied.</summary>
    public string? AppliedBy { get; init; }
}
