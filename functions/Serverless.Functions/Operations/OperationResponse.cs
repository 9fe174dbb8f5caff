using System.Text.Json;
using Microsoft.DurableTask.Client;
using Serverless.ControlPlane.Operations;

namespace Serverless.Functions.Operations;

/// <summary>
/// A long-running operation as the API shows it: the durable instance in the API's words, and, when it has made no
/// progress for two minutes, <see cref="Stuck"/>: since when and what it waits on.
/// </summary>
public sealed record OperationResponse(
    string Id,
    string Name,
    OperationStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    JsonElement? Progress,
    JsonElement? Result,
    OperationErrorResponse? Error,
    OperationStall? Stuck)
{
    public static OperationResponse From(string operationId, OrchestrationMetadata instance, OperationStall? stuck) => new(
        operationId,
        instance.Name,
        ToStatus(instance.RuntimeStatus),
        instance.CreatedAt,
        instance.LastUpdatedAt,
        Parse(instance.SerializedCustomStatus),
        instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? Parse(instance.SerializedOutput) : null,
        instance.FailureDetails is { } failure ? new OperationErrorResponse(failure.ErrorType, failure.ErrorMessage) : null,
        stuck);

    public static OperationStatus ToStatus(OrchestrationRuntimeStatus status) => status switch
    {
        OrchestrationRuntimeStatus.Pending => OperationStatus.Pending,
        OrchestrationRuntimeStatus.Completed => OperationStatus.Succeeded,
        OrchestrationRuntimeStatus.Failed => OperationStatus.Failed,
#pragma warning disable CS0618 // Canceled is obsolete in the SDK but old histories may still carry it.
        OrchestrationRuntimeStatus.Terminated or OrchestrationRuntimeStatus.Canceled => OperationStatus.Canceled,
#pragma warning restore CS0618
        _ => OperationStatus.Running,
    };

    private static JsonElement? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
