using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Pools;

/// <summary>Which members a pool activates first (and so deactivates last).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<MemberPreference>))]
public enum MemberPreference
{
    /// <summary>Members in client zones first; provider zones are burst capacity, released first.</summary>
    ClientFirst,

    /// <summary>Members in provider zones first.</summary>
    ProviderFirst,

    /// <summary>In the order the pool lists its members.</summary>
    Listed,
}
