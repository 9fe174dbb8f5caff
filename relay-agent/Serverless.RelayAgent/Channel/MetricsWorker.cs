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
/// subscription; a poll still running when the next is due is skipped rather than stacked.
/// </summary>
public sealed class MetricsWorker(
    MetricsSubscriptions subscriptions,
    Handlers.MemberMetrics poller,
    UplinkClient uplink,
    IOptions<RelayAgentOptions> options,
    TimeProvider clock,
    ILogger<MetricsWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
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

            try
            {
                await Task.Delay(Tick, clock, stoppingToken);
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
