namespace Serverless.RelayAgent.Checks;

/// <summary>One line of <c>relay-agent check</c>: what was checked, how it went, and for a failure how to fix it.</summary>
public sealed record CheckOutcome(string Name, CheckStatus Status, string Detail, string? Fix = null)
{
    public static CheckOutcome Ok(string name, string detail) => new(name, CheckStatus.Ok, detail);

    public static CheckOutcome Failed(string name, string detail, string fix) => new(name, CheckStatus.Failed, detail, fix);

    public static CheckOutcome Skipped(string name, string reason) => new(name, CheckStatus.Skipped, reason);

    public override string ToString() => Status switch
    {
        CheckStatus.Ok => $"ok    {Name}: {Detail}",
        CheckStatus.Failed => $"FAIL  {Name}: {Detail} Fix: {Fix}",
        _ => $"skip  {Name}: {Detail}",
    };
}
