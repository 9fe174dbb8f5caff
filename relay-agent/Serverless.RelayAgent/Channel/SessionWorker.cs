using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;
using Serverless.Contracts.Agents;
using Serverless.RelayAgent.Execution;

namespace Serverless.RelayAgent.Channel;

/// <summary>
/// Holds the agent group's Service Bus session: accepts it (or stands by while another agent of the group holds it),
/// renews its lock, executes commands one at a time in order (their results are posted in the background, see
/// <see cref="CommandExecutor"/>), and takes the session again after losing it. Two agents of
/// a group are active and standby; the standby takes over as soon as the broker frees the session.
/// </summary>
public sealed class SessionWorker(
    ServiceBusClient client,
    CommandExecutor executor,
    AgentStatus status,
    IOptions<RelayAgentOptions> options,
    TimeProvider clock,
    ILogger<SessionWorker> logger) : BackgroundService
{
    // Long: a stop or a lost lock cancels the wait, so it only bounds how often an idle agent polls.
    private static readonly TimeSpan ReceiveWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxFailureDelay = TimeSpan.FromSeconds(30);

    // Commands whose results are still being posted while the next ones execute; beyond this the agent waits for one,
    // so a control plane that stops answering holds back new commands instead of piling up answers in memory.
    private const int MaxSettlementsInFlight = 32;

    // Messages the broker hands over ahead of their turn, locked with the session; it saves a round trip per command.
    private const int Prefetch = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var agent = options.Value;
        var failureDelay = TimeSpan.FromSeconds(1);
        var announcedStandby = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            ServiceBusSessionReceiver receiver;
            try
            {
                receiver = await client.AcceptSessionAsync(agent.QueueName, agent.AgentGroup, new ServiceBusSessionReceiverOptions { PrefetchCount = Prefetch }, stoppingToken);
            }
            catch (ServiceBusException exception) when (exception.Reason == ServiceBusFailureReason.SessionCannotBeLocked)
            {
                status.Role = AgentRole.Standby;
                if (!announcedStandby)
                {
                    Logs.Standby(logger, agent.AgentGroup, agent.StandbyRetrySeconds);
                    announcedStandby = true;
                }

                await DelayAsync(TimeSpan.FromSeconds(agent.StandbyRetrySeconds), stoppingToken);
                continue;
            }
            catch (Exception exception) when (exception is ServiceBusException or UnauthorizedAccessException or InvalidOperationException)
            {
                status.Role = AgentRole.Standby;
                Logs.ChannelFailed(logger, exception, agent.AgentGroup, agent.QueueName, Describe(exception), failureDelay.TotalSeconds);
                await DelayAsync(failureDelay, stoppingToken);
                failureDelay = TimeSpan.FromTicks(Math.Min(failureDelay.Ticks * 2, MaxFailureDelay.Ticks));
                continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            failureDelay = TimeSpan.FromSeconds(1);
            announcedStandby = false;
            await using (receiver)
            {
                await HoldSessionAsync(receiver, stoppingToken);
            }
        }

        status.Role = AgentRole.Standby;
        Logs.Stopped(logger, agent.AgentId);
    }

    private async Task HoldSessionAsync(ServiceBusSessionReceiver receiver, CancellationToken stoppingToken)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var settlements = new List<Task>();
        Task? renewal = null;
        try
        {
            var ledger = CommandLedger.Load(await receiver.GetSessionStateAsync(stoppingToken));
            status.Role = AgentRole.Active;
            Logs.SessionAcquired(logger, receiver.SessionId, receiver.SessionLockedUntil, ledger.Count);
            renewal = RenewLockAsync(receiver, lost);
            while (!lost.IsCancellationRequested)
            {
                var message = await receiver.ReceiveMessageAsync(ReceiveWait, lost.Token);
                if (message is null)
                {
                    continue;
                }

                var handled = await executor.HandleAsync(receiver, ledger, message, stoppingToken);
                if (!handled.Settled)
                {
                    return;
                }

                settlements.Add(handled.Settlement);
                if (settlements.Count >= MaxSettlementsInFlight)
                {
                    await Task.WhenAny(settlements);
                }

                settlements.RemoveAll(settlement => settlement.IsCompletedSuccessfully);
                if (settlements.Find(settlement => settlement.IsFaulted) is { } failed)
                {
                    await failed;
                }
            }
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            if (!stoppingToken.IsCancellationRequested)
            {
                Logs.SessionLost(logger, new ServiceBusException("The session lock could not be renewed.", ServiceBusFailureReason.SessionLockLost), receiver.SessionId);
            }
        }
        catch (Exception exception) when (exception is ServiceBusException or ObjectDisposedException or InvalidDataException)
        {
            Logs.SessionLost(logger, exception, receiver.SessionId);
        }
        finally
        {
            status.Role = AgentRole.Standby;
            await SettleAsync(settlements, receiver.SessionId);
            await lost.CancelAsync();
            if (renewal is not null)
            {
                await renewal;
            }
        }
    }

    /// <summary>Waits for completions still in flight; one that fails leaves its message to be redelivered and replayed.</summary>
    private async Task SettleAsync(List<Task> settlements, string sessionId)
    {
        try
        {
            await Task.WhenAll(settlements);
        }
        catch (Exception exception) when (exception is ServiceBusException or ObjectDisposedException)
        {
            Logs.SessionLost(logger, exception, sessionId);
        }
    }

    /// <summary>Renews the session lock at a third of its duration; cancels <paramref name="lost"/> when it cannot.</summary>
    private async Task RenewLockAsync(ServiceBusSessionReceiver receiver, CancellationTokenSource lost)
    {
        var lockDuration = receiver.SessionLockedUntil - clock.GetUtcNow();
        var interval = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(200).Ticks, lockDuration.Ticks / 3));
        try
        {
            while (!lost.IsCancellationRequested)
            {
                await Task.Delay(interval, clock, lost.Token);
                await receiver.RenewSessionLockAsync(lost.Token);
            }
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is ServiceBusException or ObjectDisposedException)
        {
            Logs.SessionLost(logger, exception, receiver.SessionId);
            await lost.CancelAsync();
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        UnauthorizedAccessException => "Service Bus refused the credential; check the agent's ServiceBusConnection key and its Listen right on the queue",
        ServiceBusException { Reason: ServiceBusFailureReason.MessagingEntityNotFound } => "the queue does not exist; check QueueName",
        ServiceBusException { Reason: ServiceBusFailureReason.ServiceCommunicationProblem } => "Service Bus is unreachable; check the endpoint and outbound port 5671/443",
        _ => exception.Message,
    };
}
