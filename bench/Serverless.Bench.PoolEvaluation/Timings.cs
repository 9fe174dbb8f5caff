using System.Collections.Concurrent;
using System.Diagnostics;

namespace Serverless.Bench.PoolEvaluation;

/// <summary>Cumulative time and calls per store operation, across the evaluator's parallel work.</summary>
public sealed class Timings
{
    private readonly ConcurrentDictionary<string, (long Ticks, int Calls)> _totals = new(StringComparer.Ordinal);

    public async Task<T> TimeAsync<T>(string name, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await call();
        }
        finally
        {
            var elapsed = Stopwatch.GetTimestamp() - started;
            _totals.AddOrUpdate(name, (elapsed, 1), (_, t) => (t.Ticks + elapsed, t.Calls + 1));
        }
    }

    public async Task TimeAsync(string name, Func<Task> call) => await TimeAsync(name, async () =>
    {
        await call();
        return 0;
    });

    public void Reset() => _totals.Clear();

    public IEnumerable<(string Name, double Milliseconds, int Calls)> Totals() =>
        _totals.Select(t => (t.Key, t.Value.Ticks * 1000.0 / Stopwatch.Frequency, t.Value.Calls)).OrderByDescending(t => t.Item2);
}
