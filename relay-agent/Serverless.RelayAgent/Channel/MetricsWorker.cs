using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Agents;
using Serverless.RelayAgent.Snmp;
using Serverless.RelayAgent.Uplink;

namespace Serverless.RelayAgent.Channel;

/// <summary>
/// Polls every due metric subscription and posts its samples to the uplink in batches of at most
/// <see cref="MetricBatch.MaxSamples"/>. Each subscription polls on its own task, so a slow device delays only its own
/// subscription; a poll still running when the next is due is skipped rather than stacked. Between polls it sleeps until
/// the next one is due or the subscriptions change: an agent with nothing subscribed never wakes for it.
/// </summary>
public sealed class MetricsWorker(
    MetricsSubscriptions subscriptions,
    Handlers.MemberMetrics poller,
    UplinkClient uplink,
    IOptions<RelayAgentOptions> options,
    TimeProvider clock,
    ILogger<MetricsWorker> logger) : BackgroundService
{
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before the due ones, so a subscription added meanwhile still wakes the wait below.
            var changed = subscriptions.Changed;
            foreach (var subscription in subscriptions.TakeDue())
            {
                lock (_gate)
                {
                    if (!_running.Add(subscription.Id))
                    {
                        continue;
                    }
                }

                _ = PollAsync(subscription, stoppingToken);
            }

            var wait = subscriptions.NextDueAt is { } dueAt ? TimeSpan.FromTicks(Math.Max(0, (dueAt - clock.GetUtcNow()).Ticks)) : Timeout.InfiniteTimeSpan;
            try
            {
                await changed.WaitAsync(wait, clock, stoppingToken);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PollAsync(MetricsSubscriptions.Subscription subscription, CancellationToken stoppingToken)
    {
        try
        {
            var output = await poller.PollAsync(subscription.Plan, stoppingToken);
            var agent = options.Value;
            var polledAt = clock.GetUtcNow();
            foreach (var (index, chunk) in output.Samples.Chunk(MetricBatch.MaxSamples).Index())
            {
                var batch = new MetricBatch(SchemaVersions.Current, BatchId(subscription.Id, polledAt, index), agent.AgentId, agent.AgentGroup, chunk);
                await uplink.PostMetricsAsync(batch, stoppingToken);
            }

            Logs.SubscriptionPolled(logger, subscription.Id, output.Samples.Count, output.Failures.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Logs.SubscriptionPollFailed(logger, subscription.Id, exception.Message);
        }
        finally
        {
            lock (_gate)
            {
                _running.Remove(subscription.Id);
            }
        }
    }

    /// <summary>Stable per subscription, poll and chunk, at most 64 characters: a batch posted again is stored once.</summary>
    private static string BatchId(string subscriptionId, DateTimeOffset polledAt, int chunk) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{subscriptionId}/{polledAt.UtcTicks}/{chunk}")))[..32];
}
