using System.Collections.Concurrent;

namespace Serverless.Functions.Agents;

/// <summary>
/// Workflows the uplink has lately seen exist: the results of one batch's commands (fifty for one workflow) need one
/// existence read, not fifty. Only a workflow found is remembered (one not found is read again next time), and for a
/// minute: raising an event to a workflow that has ended since is what would happen without the memory too, and the
/// workflow's host discards it. Bounded: past <see cref="MaxRemembered"/> the memory starts again.
/// </summary>
public sealed class RecentOrchestrations(TimeProvider clock)
{
    public const int MaxRemembered = 10_000;
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>Whether the workflow exists: remembered if it was found within the minute, else <paramref name="read"/>.</summary>
    public async Task<bool> ExistsAsync(string instanceId, Func<Task<bool>> read)
    {
        var now = clock.GetUtcNow();
        if (_seen.TryGetValue(instanceId, out var seenAt) && now - seenAt < Remembered)
        {
            return true;
        }

        if (!await read())
        {
            return false;
        }

        if (_seen.Count >= MaxRemembered)
        {
            _seen.Clear();
        }

        _seen[instanceId] = now;
        return true;
    }
}
