using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;

namespace Serverless.Functions.Commands;

/// <summary>Builds the Service Bus client from the <c>ServiceBusConnection</c> setting, as the Functions host reads it.</summary>
public static class ServiceBusConnection
{
    public static ServiceBusClient CreateClient(IConfiguration configuration)
    {
        var options = new ServiceBusClientOptions
        {
            Identifier = $"control-plane-{Environment.MachineName}",
            RetryOptions = new ServiceBusRetryOptions { MaxRetries = 3, Delay = TimeSpan.FromMilliseconds(200), TryTimeout = TimeSpan.FromSeconds(20) },
        };
        var connectionString = configuration[AppSettingNames.ServiceBus];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new ServiceBusClient(connectionString, options);
        }

        var section = configuration.GetSection(AppSettingNames.ServiceBus);
        var fullyQualifiedNamespace = section["fullyQualifiedNamespace"]
            ?? throw new InvalidOperationException(
                $"Set '{AppSettingNames.ServiceBus}' to a connection string, or '{AppSettingNames.ServiceBus}__fullyQualifiedNamespace' for a managed identity.");
        var credential = section["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : (Azure.Core.TokenCredential)new DefaultAzureCredential();
        return new ServiceBusClient(fullyQualifiedNamespace, credential, options);
    }
}
