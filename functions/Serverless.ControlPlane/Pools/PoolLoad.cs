namespace Serverless.ControlPlane.Pools;

/// <summary>
/// A pool's load over time: at each reading of any member, the mean of every member's latest reading so far. Members
/// are polled together, so their readings interleave within milliseconds; the step function makes that harmless.
/// </summary>
public sealed class PoolLoad
{
    private readonly DateTimeOffset[] _times;
    private readonly double[] _values;

    private PoolLoad(DateTimeOffset[] times, double[] values)
    {
        _times = times;
        _values = values;
    }

    /// <summary>The newest load, or null without readings.</summary>
    public double? Latest => _values.Length == 0 ? null : _values[^1];

    public DateTimeOffset LatestAt => _times.Length == 0 ? DateTimeOffset.MinValue : _times[^1];

    public static PoolLoad From(IReadOnlyList<MemberSnapshot> members)
    {
        var total = 0;
        foreach (var member in members)
        {
            total += member.Window.Count;
        }

        var points = new (DateTimeOffset At, int Member, double Value)[total];
        var next = 0;
        for (var m = 0; m < members.Count; m++)
        {
            foreach (var point in members[m].Window)
            {
                points[next++] = (point.At, m, point.Value);
            }
        }

        Array.Sort(points, static (a, b) => a.At.CompareTo(b.At));
        var latest = new double[members.Count];
        var seen = new bool[members.Count];
        var times = new List<DateTimeOffset>(total);
        var values = new List<double>(total);
        double sum = 0;
        var count = 0;
        for (var i = 0; i < points.Length; i++)
        {
            var (at, member, value) = points[i];
            if (seen[member])
            {
                sum -= latest[member];
            }
            else
            {
                seen[member] = true;
                count++;
            }

            latest[member] = value;
            sum += value;

            // One load per instant: readings at the same time are one step.
            if (i + 1 < points.Length && points[i + 1].At == at)
            {
                continue;
            }

            times.Add(at);
            values.Add(sum / count);
        }

        return new PoolLoad([.. times], [.. values]);
    }

    /// <summary>
    /// Since when the load has met <paramref name="condition"/> without a break up to the newest reading: the first
    /// reading of the current run. Null when the newest load does not meet it.
    /// </summary>
    public DateTimeOffset? HeldSince(Func<double, bool> condition)
    {
        DateTimeOffset? since = null;
        for (var i = _values.Length - 1; i >= 0 && condition(_values[i]); i--)
        {
            since = _times[i];
        }

        return since;
    }
}
