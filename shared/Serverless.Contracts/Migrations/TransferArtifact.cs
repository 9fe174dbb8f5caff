using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.Contracts.Migrations;

/// <summary>What of an instance a migration moves through Blob Storage.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<TransferArtifact>))]
public enum TransferArtifact
{
    /// <summary>The saved memory and device state (libvirt's save image).</summary>
    State,

    /// <summary>The disk volume's file.</summary>
    Disk,
}
