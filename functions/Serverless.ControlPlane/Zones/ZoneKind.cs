using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Zones;

/// <summary>Who runs a zone: the cloud provider, or the tenant on its own premises.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ZoneKind>))]
public enum ZoneKind
{
    /// <summary>A failure domain in the cloud (the source document's PDAC).</summary>
    Provider,

    /// <summary>A failure domain the tenant defines over its own sites (the source document's CDAC).</summary>
    Client,
}
