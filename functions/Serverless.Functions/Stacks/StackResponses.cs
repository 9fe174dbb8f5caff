using Serverless.ControlPlane.Stacks;

namespace Serverless.Functions.Stacks;

/// <summary>A plan: every item's action with its zone and host, and how many of each.</summary>
public sealed record StackPlanResponse(
    string PlanId, string Stack, int BasedOnVersion, DateTimeOffset CreatedAt, string? AppliedBy, StackPlanSummary Summary, IReadOnlyList<StackActionResponse> Actions, string ApplyUrl)
{
    public static StackPlanResponse From(StackPlan plan) => new(
        plan.PlanId,
        plan.Stack,
        plan.BasedOnVersion,
        plan.CreatedAt,
        plan.AppliedBy,
        new StackPlanSummary(
            plan.Steps.Count(s => s.Action == StackActionKind.Create),
            plan.Steps.Count(s => s.Action == StackActionKind.Update),
            plan.Steps.Count(s => s.Action == StackActionKind.Replace),
            plan.Steps.Count(s => s.Action == StackActionKind.Delete),
            plan.Steps.Count(s => s.Action == StackActionKind.NoOp)),
        [.. plan.Steps.Select(s => new StackActionResponse(s.Key, s.Kind, s.Component, s.Action, s.Zone, s.Host, s.Instance, s.Retiring, s.Detail))],
        $"/api/v1/stacks/{plan.Stack}/plans/{plan.PlanId}/apply");
}

/// <summary>How many items a plan creates, updates, replaces, deletes and leaves as they are.</summary>
public sealed record StackPlanSummary(int Create, int Update, int Replace, int Delete, int NoOp);

/// <summary>One item's action in a plan.</summary>
public sealed record StackActionResponse(
    string Item, StackItemKind Kind, string Component, StackActionKind Action, string? Zone, string? Host, string? Instance, string? Replaces, string Detail);

/// <summary>A run accepted: follow <see cref="OperationUrl"/>; the stack shows each item as it goes.</summary>
public sealed record StackOperationAcceptedResponse(string OperationId, string Stack, string OperationUrl, string StackUrl);

/// <summary>A stack with its items.</summary>
public sealed record StackResponse(
    string Name,
    StackStatus Status,
    int Version,
    string? Reason,
    string? OperationId,
    string? PlanId,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Outputs,
    IReadOnlyList<StackItemResponse> Items,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static StackResponse From(StackView view) => new(
        view.Stack.Name,
        view.Stack.Status,
        view.Stack.Version,
        view.Stack.Reason,
        view.Stack.OperationId,
        view.Stack.PlanId,
        view.Stack.Outputs,
        [.. view.Items.OrderBy(i => i.Level).ThenBy(i => i.Key, StringComparer.Ordinal).Select(StackItemResponse.From)],
        view.Stack.CreatedAt,
        view.Stack.UpdatedAt);
}

/// <summary>One item of a stack as it stands.</summary>
public sealed record StackItemResponse(
    string Key, StackItemKind Kind, string Component, StackItemState State, int Run, string? Zone, string? Host, string? Instance, string? Appliance, string? Pool,
    IReadOnlyList<string>? Members, string? Reason, DateTimeOffset UpdatedAt)
{
    public static StackItemResponse From(StackItem item) => new(
        item.Key, item.Kind, item.Component, item.State, item.Run, item.Zone, item.Host, item.Instance, item.Appliance, item.Pool,
        item.Members?.Select(m => m.MemberId).ToList(), item.Reason, item.UpdatedAt);
}

/// <summary>A page of stacks.</summary>
public sealed record StackListResponse(IReadOnlyList<StackSummaryResponse> Items, string? ContinuationToken);

/// <summary>A stack as lists show it.</summary>
public sealed record StackSummaryResponse(string Name, StackStatus Status, int Version, string? Reason, string? OperationId, DateTimeOffset UpdatedAt);

/// <summary>A page of a stack's journal, oldest first.</summary>
public sealed record StackEventListResponse(IReadOnlyList<StackEvent> Items, string? ContinuationToken);
