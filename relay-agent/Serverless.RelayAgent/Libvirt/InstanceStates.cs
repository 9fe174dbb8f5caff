using Serverless.Contracts.Instances;
using Serverless.Libvirt;

namespace Serverless.RelayAgent.Libvirt;

/// <summary>libvirt's domain states in the words of the wire contract.</summary>
public static class InstanceStates
{
    public static InstanceState From(DomainState state) => state switch
    {
        DomainState.Running or DomainState.Blocked => InstanceState.Running,
        DomainState.Paused => InstanceState.Paused,
        DomainState.ShuttingDown => InstanceState.ShuttingDown,
        DomainState.ShutOff => InstanceState.ShutOff,
        DomainState.Crashed => InstanceState.Crashed,
        DomainState.PowerManagementSuspended => InstanceState.Suspended,
        _ => InstanceState.Unknown,
    };
}
