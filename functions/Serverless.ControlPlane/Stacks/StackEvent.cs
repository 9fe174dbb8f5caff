namespace Serverless.ControlPlane.Stacks;

/// <summary>
/// One journal entry of a run. Before a step: what it will create or change, its idempotency key and how it is undone;
/// after it: the outcome. <see cref="Sequence"/> is counted by the orchestration, so a repeated step writes the same
/// entry again instead of a second one.
/// </summary>
public sealed record StackEvent(
    int Run,
    int Sequence,
    DateTimeOffset At,
    string? Item,
    string Phase,
    string Message,
    string? IdempotencyKey = null,
    string? Undo = null,
    string? Outcome = null);
