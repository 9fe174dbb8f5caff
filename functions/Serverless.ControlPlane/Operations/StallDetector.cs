using System.Globalization;

namespace Serverless.ControlPlane.Operations;

/// <summary>
/// Says why an unfinished operation has made no progress for the threshold (two minutes unless configured). Progress is
/// a command sent or answered: durable status timestamps move every few seconds while a workflow merely polls, so they
/// cannot tell. A command in flight to a group heard from lately, within its deadline, is work going on, not a stall:
/// a long upload is slow, not stuck.
/// </summary>
public static class StallDetector
{
    /// <param name="lastHeard">When each agent group was last heard from; null when never.</param>
    public static OperationStall? Check(
        OperationStatus status,
        DateTimeOffset createdAt,
        IReadOnlyCollection<OperationCommand> commands,
        Func<string, DateTimeOffset?> lastHeard,
        DateTimeOffset now,
        TimeSpan threshold)
    {
        if (status == OperationStatus.Pending)
        {
            return now - createdAt >= threshold
                ? new OperationStall(createdAt, $"pending for {Words(now - createdAt)}: the durable backend has not started it (is the Functions app running?)")
                : null;
        }

        if (status != OperationStatus.Running)
        {
            return null;
        }

        var progressAt = commands.Select(c => c.AnsweredAt ?? c.IssuedAt).Append(createdAt).Max();
        if (now - progressAt < threshold)
        {
            return null;
        }

        var stalled = $"no progress for {Words(now - progressAt)}";
        var waiting = commands.Where(c => c.AnsweredAt is null).OrderByDescending(c => c.IssuedAt).FirstOrDefault();
        if (waiting is null)
        {
            var last = commands.OrderByDescending(c => c.AnsweredAt).FirstOrDefault();
            var after = last is null ? "and no command sent" : $"and no command in flight since {last.Kind} was answered {Words(now - last.AnsweredAt!.Value)} ago";
            return new OperationStall(progressAt, $"{stalled} {after}: the workflow is waiting on a timer or on the durable backend");
        }

        var heard = lastHeard(waiting.AgentGroup);
        var groupSilent = heard is null || now - heard.Value >= threshold;
        var pastDeadline = now > waiting.Deadline;
        if (!groupSilent && !pastDeadline)
        {
            return null;
        }

        var heardWords = heard is null ? "never heard from" : $"last heard {Words(now - heard.Value)} ago";
        var deadlineWords = pastDeadline ? $", past its deadline by {Words(now - waiting.Deadline)}" : string.Empty;
        return new OperationStall(
            progressAt,
            $"{stalled}: waiting on agent group {waiting.AgentGroup} for {waiting.Kind} (sent {Words(now - waiting.IssuedAt)} ago{deadlineWords}), {heardWords}");
    }

    /// <summary>"45 s", "3 min", "2 h 5 min", "3 d 4 h": the two largest units, rounded down.</summary>
    public static string Words(TimeSpan span)
    {
        var seconds = Math.Max(0, (long)span.TotalSeconds);
        return seconds switch
        {
            < 60 => $"{seconds} s",
            < 3600 => $"{seconds / 60} min",
            < 86400 => Join(seconds / 3600, "h", seconds % 3600 / 60, "min"),
            _ => Join(seconds / 86400, "d", seconds % 86400 / 3600, "h"),
        };

        static string Join(long major, string majorUnit, long minor, string minorUnit) =>
            minor == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{major} {majorUnit}")
                : string.Create(CultureInfo.InvariantCulture, $"{major} {majorUnit} {minor} {minorUnit}");
    }
}
