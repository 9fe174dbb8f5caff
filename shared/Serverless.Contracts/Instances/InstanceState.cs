using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.Contracts.Instances;

/// <summary>What an instance on a virtualization host is doing, as libvirt reports it.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<InstanceState>))]
public enum InstanceState
{
    /// <summary>Running, or blocked on a resource (libvirt's running and blocked).</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>Suspended in memory by the hypervisor.</summary>
    [JsonStringEnumMemberName("paused")]
    Paused,

    /// <summary>Asked to shut down and doing so.</summary>
    [JsonStringEnumMemberName("shuttingDown")]
    ShuttingDown,

    /// <summary>Defined but not running.</summary>
    [JsonStringEnumMemberName("shutOff")]
    ShutOff,

    /// <summary>Stopped by a failure.</summary>
    [JsonStringEnumMemberName("crashed")]
    Crashed,

    /// <summary>Suspended by the guest's power management.</summary>
    [JsonStringEnumMemberName("suspended")]
    Suspended,

    /// <summary>libvirt reported no state.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,
}
