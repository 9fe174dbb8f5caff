using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Pools;

/// <summary>Where a pool member stands: Inactive → Activating → Active → Deactivating → Inactive, or Unhealthy.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<MemberState>))]
public enum MemberState
{
    /// <summary>Out of service; may be chosen for activation.</summary>
    Inactive,

    /// <summary>Asked to come into service; the agent's answer is awaited.</summary>
    Activating,

    /// <summary>In service; its metric counts toward the pool's load.</summary>
    Active,

    /// <summary>Asked to leave service; the agent's answer is awaited.</summary>
    Deactivating,

    /// <summary>An activation or deactivation failed or timed out; not chosen again until an operator or a later answer clears it.</summary>
    Unhealthy,
}
