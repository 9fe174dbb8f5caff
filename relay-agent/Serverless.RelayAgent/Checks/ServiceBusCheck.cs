using Azure.Messaging.ServiceBus;

namespace Serverless.RelayAgent.Checks;

/// <summary>Whether the agent's key opens its group's session on the tenant queue; a session held by another agent counts.</summary>
public static class ServiceBusCheck
{
    public const string Name = "service bus";

    private const string KeyFix = "set RelayAgent:ServiceBusConnection to the queue's Listen-only connection string (enrolment writes it; in Azure it is the Key Vault secret agents-servicebus-<tenant>).";

    public static async Task<CheckOutcome> RunAsync(RelayAgentOptions agent, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ServiceBusClient client;
        try
        {
            client = new ServiceBusClient(agent.ServiceBusConnection, new ServiceBusClientOptions
            {
                Identifier = $"relay-agent-check-{agent.AgentId}",
                RetryOptions = new ServiceBusRetryOptions { MaxRetries = 0, TryTimeout = timeout },
            });
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            return CheckOutcome.Failed(Name, $"RelayAgent:ServiceBusConnection is not a connection string: {exception.Message}", KeyFix);
        }

        await using (client)
        {
            try
            {
                // Taking the session proves the key, the queue and the network; it is released at once, unread.
                await using var receiver = await client.AcceptSessionAsync(agent.QueueName, agent.AgentGroup, cancellationToken: cancellationToken);
                return CheckOutcome.Ok(Name, $"{client.FullyQualifiedNamespace}: took the session of group {agent.AgentGroup} on {agent.QueueName} and released it.");
            }
            catch (ServiceBusException exception) when (exception.Reason == ServiceBusFailureReason.SessionCannotBeLocked)
            {
                return CheckOutcome.Ok(Name, $"{client.FullyQualifiedNamespace}: the session of group {agent.AgentGroup} on {agent.QueueName} is held by an agent (this service, or its active partner).");
            }
            catch (UnauthorizedAccessException exception)
            {
                return CheckOutcome.Failed(Name, $"{client.FullyQualifiedNamespace} refused the key: {FirstLine(exception.Message)}", KeyFix);
            }
            catch (ServiceBusException exception) when (exception.Reason == ServiceBusFailureReason.MessagingEntityNotFound)
            {
                return CheckOutcome.Failed(Name, $"{client.FullyQualifiedNamespace} has no queue {agent.QueueName}.",
                    "set RelayAgent:QueueName to commands-<tenant> (enrolment writes it); the deployment creates a queue for each tenant in tenantIds.");
            }
            catch (Exception exception) when (exception is ServiceBusException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException
                && !cancellationToken.IsCancellationRequested)
            {
                return CheckOutcome.Failed(Name, $"cannot reach {client.FullyQualifiedNamespace}: {FirstLine(exception.Message)}",
                    "allow outbound TCP 5671 (AMQP over TLS) to the namespace, or add TransportType=AmqpWebSockets; to the connection string to use 443.");
            }
        }
    }

    /// <summary>The client's messages trail an error code and a troubleshooting link; the first sentence is what matters.</summary>
    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0];
        foreach (var marker in new[] { " ErrorCode:", " For troubleshooting" })
        {
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at > 0)
            {
                line = line[..at];
            }
        }

        return line.Trim();
    }
}
