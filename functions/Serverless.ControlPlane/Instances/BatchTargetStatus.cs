using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Instances;

/// <summary>Where one target of a batch stands.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<BatchTargetStatus>))]
public enum BatchTargetStatus
{
    Pending,
    InProgress,
    Succeeded,
    Failed,

    /// <summary>Its agent did not answer in time; counts as a failure.</summary>
    TimedOut,

    /// <summary>Not started: the error budget was spent.</summary>
    Skipped,

    /// <summary>Not started: the batch was canceled.</summary>
    Canceled,
}
