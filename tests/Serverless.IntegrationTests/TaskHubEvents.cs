using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.History;
using Serverless.Contracts;

namespace Serverless.IntegrationTests;

/// <summary>
/// Raises a durable external event straight into a task hub on Azurite, as the agent uplink will once it exists:
/// the test plays the agent's part and nothing else.
/// </summary>
internal static class TaskHubEvents
{
    public static async Task RaiseVerificationAsync(string connectionString, string hubName, string instanceId, CapabilityVerificationResult result)
    {
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = hubName,
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
        });
        var payload = JsonSerializer.Serialize(result, ContractsJsonContext.Default.CapabilityVerificationResult);
        await service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = new EventRaisedEvent(-1, payload) { Name = CapabilityVerificationResult.EventName },
        });
    }
}
