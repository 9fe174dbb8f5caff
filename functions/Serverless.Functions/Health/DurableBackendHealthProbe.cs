using Microsoft.DurableTask.Client;
using Serverless.ControlPlane.Health;

namespace Serverless.Functions.Health;

/// <summary>The durable backend answers when a one-instance query of the task hub returns.</summary>
public sealed class DurableBackendHealthProbe(DurableTaskClient client) : IHealthProbe
{
    public string Name => "durableBackend";

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery { PageSize = 1, FetchInputsAndOutputs = false };
        await foreach (var _ in client.GetAllInstancesAsync(query).AsPages(pageSizeHint: 1).WithCancellation(cancellationToken))
        {
            break;
        }
    }
}
