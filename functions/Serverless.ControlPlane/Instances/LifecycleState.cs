using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Instances;

/// <summary>Where a managed instance is in its life; the same states in provider and client zones.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<LifecycleState>))]
public enum LifecycleState
{
    /// <summary>Accepted; being placed and defined on a host.</summary>
    Pending,

    /// <summary>Defined; starting.</summary>
    Starting,

    Running,

    /// <summary>Shutting down.</summary>
    Stopping,

    Stopped,

    /// <summary>Quiesced: paused in memory.</summary>
    Suspended,

    /// <summary>Moving to another host (<c>POST …/migrations</c>); its migration says which phase it is in.</summary>
    Migrating,

    /// <summary>Being destroyed, undefined and its disk deleted.</summary>
    Terminating,

    /// <summary>Gone from its host; the record stays for history and the name may be launched again.</summary>
    Terminated,

    /// <summary>A launch that could not finish; the reason says why, and what was made was undone.</summary>
    Failed,
}
