using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Pools;

/// <summary>What a pool serves; decides nothing in the policy, but tells people and later services what the members are.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ServiceKind>))]
public enum ServiceKind
{
    LoadBalancer,
    Cache,
    Compute,
    Generic,
}
