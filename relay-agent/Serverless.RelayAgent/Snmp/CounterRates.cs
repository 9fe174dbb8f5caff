using System.Collections.Concurrent;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Snmp;

/// <summary>
/// Turns counter readings into rates per second against the previous reading of the same member and metric. A
/// Counter32 that went down wrapped at 2^32; any other counter that went down was reset and gives no rate that time.
/// Readings older than <see cref="Memory"/> are forgotten.
/// </summary>
public sealed class CounterRates
{
    public static readonly TimeSpan Memory = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<(string ResourceId, string Metric), Reading> _last = new();

    public int Count => _last.Count;

    /// <summary>The rate since the previous reading, or null for a first reading, a reset, or a clock that did not advance.</summary>
    public double? Observe(string resourceId, string metric, SnmpValue value, double number, DateTimeOffset at)
    {
        var raw = value.Type is SnmpType.Counter32 or SnmpType.Counter64 or SnmpType.Gauge32 or SnmpType.TimeTicks ? value.AsUInt64() : (ulong)Math.Max(0, number);
        var key = (resourceId, metric);
        var previous = _last.TryGetValue(key, out var known) ? known : (Reading?)null;
        _last[key] = new Reading(raw, at);
        if (previous is not { } before || at <= before.At)
        {
            return null;
        }

        ulong delta;
        if (raw >= before.Value)
        {
            delta = raw - before.Value;
        }
        else if (value.Type == SnmpType.Counter32)
        {
            delta = raw + (1UL << 32) - before.Value;
        }
        else
        {
            return null;
        }

        return delta / (at - before.At).TotalSeconds;
    }

    public void Forget(DateTimeOffset olderThan)
    {
        foreach (var (key, reading) in _last)
        {
            if (reading.At < olderThan)
            {
                _last.TryRemove(key, out _);
            }
        }
    }

    private readonly record struct Reading(ulong Value, DateTimeOffset At);
}
