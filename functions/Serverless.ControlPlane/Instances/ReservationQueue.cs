namespace Serverless.ControlPlane.Instances;

/// <summary>
/// Group commit for reservations in one process: launches of one tenant that reserve at the same time are taken in a
/// batch by whichever of them came first, which reads the capacity once, places them one after another against it and
/// writes each host's reservations once. Without it, fifty launches onto one host would each read everything, and all
/// but one would lose the host's ETag race, every round. Writes stay conditional, so other processes are still safe.
/// </summary>
public sealed class ReservationQueue
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<PendingReservation>> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _draining = new(StringComparer.Ordinal);

    /// <summary>
    /// Queues the launch and, when no batch of the tenant is under way, takes batches until the queue is empty.
    /// <paramref name="reserveBatch"/> completes the launches it settles; the others go round again.
    /// </summary>
    public async Task<ReserveOutcome> ReserveAsync(
        LaunchPlan plan, DateTimeOffset giveUpAt, Func<IReadOnlyList<PendingReservation>, CancellationToken, Task> reserveBatch, CancellationToken cancellationToken)
    {
        var pending = new PendingReservation(plan, giveUpAt);
        bool drain;
        lock (_lock)
        {
            (_waiting.TryGetValue(plan.TenantId, out var queued) ? queued : _waiting[plan.TenantId] = []).Add(pending);
            drain = _draining.Add(plan.TenantId);
        }

        if (drain)
        {
            await DrainAsync(plan.TenantId, reserveBatch, cancellationToken);
        }

        return await pending.Outcome.WaitAsync(cancellationToken);
    }

    private async Task DrainAsync(string tenantId, Func<IReadOnlyList<PendingReservation>, CancellationToken, Task> reserveBatch, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            List<PendingReservation>? batch;
            lock (_lock)
            {
                if (!_waiting.Remove(tenantId, out batch))
                {
                    _draining.Remove(tenantId);
                    return;
                }
            }

            try
            {
                await reserveBatch(batch, cancellationToken);
            }
            catch (Exception exception)
            {
                // Storage failed or the caller stopped: every launch of the batch fails its attempt, and its workflow
                // retries the step (a reservation already written is found then).
                foreach (var pending in batch)
                {
                    pending.Fail(exception);
                }

                lock (_lock)
                {
                    if (!_waiting.ContainsKey(tenantId))
                    {
                        _draining.Remove(tenantId);
                        return;
                    }
                }

                continue;
            }

            var again = batch.Where(p => !p.IsSettled).ToList();
            if (again.Count > 0)
            {
                lock (_lock)
                {
                    _waiting[tenantId] = _waiting.TryGetValue(tenantId, out var newer) ? [.. again, .. newer] : again;
                }

                // Another process wrote a host this batch chose: a short random pause spreads the next attempts apart.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25 + Math.Min(round, 20) * 5)), CancellationToken.None);
            }
        }
    }
}

/// <summary>A launch waiting in <see cref="ReservationQueue"/>.</summary>
public sealed class PendingReservation(LaunchPlan plan, DateTimeOffset giveUpAt)
{
    private readonly TaskCompletionSource<ReserveOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LaunchPlan Plan { get; } = plan;

    /// <summary>When the launch stops going round: other launches kept taking the capacity it chose.</summary>
    public DateTimeOffset GiveUpAt { get; } = giveUpAt;

    public bool IsSettled => _outcome.Task.IsCompleted;

    internal Task<ReserveOutcome> Outcome => _outcome.Task;

    public void Settle(ReserveOutcome outcome) => _outcome.TrySetResult(outcome);

    internal void Fail(Exception exception) => _outcome.TrySetException(exception);
}
