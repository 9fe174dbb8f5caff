using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Operations;

/// <summary>Where a long-running operation stands, in the API's words (not the durable backend's).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<OperationStatus>))]
public enum OperationStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Canceled,
}
