using System.ComponentModel.DataAnnotations;

namespace Serverless.ControlPlane.Operations;

/// <summary>How operations are watched (section <c>Operations</c>).</summary>
public sealed class OperationOptions
{
    public const string SectionName = "Operations";

    /// <summary>Time without progress (a command sent or answered) after which an unfinished operation shows as stuck.</summary>
    [Range(1, 24 * 3600)]
    public int StalledAfterSeconds { get; set; } = 120;
}
