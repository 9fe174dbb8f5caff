using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;

namespace Serverless.Functions.LocalHost.Timers;

/// <summary>
/// Persists each monitored timer's last and next run in blob storage, where the Functions host keeps it
/// (<c>azure-webjobs-hosts/timers/{hostId}/{function}/status</c>), so a run missed while the host was down is caught up.
/// </summary>
internal sealed class TimerStatusStore(BlobContainerClient container, string hostId)
{
    public async Task<ScheduleStatus?> ReadAsync(string functionName, CancellationToken cancellationToken)
    {
        try
        {
            var content = await Blob(functionName).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<ScheduleStatus>();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (JsonException)
        {
            // A damaged status only costs a catch-up run; treat it as absent.
            return null;
        }
    }

    public async Task WriteAsync(string functionName, ScheduleStatus status, CancellationToken cancellationToken)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await Blob(functionName).UploadAsync(BinaryData.FromObjectAsJson(status), overwrite: true, cancellationToken);
    }

    private BlobClient Blob(string functionName) => container.GetBlobClient($"timers/{hostId}/{functionName}/status");
}
