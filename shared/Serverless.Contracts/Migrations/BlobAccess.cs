using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.Contracts.Migrations;

/// <summary>What an agent may do with a migration's blob: the source writes, the target reads.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<BlobAccess>))]
public enum BlobAccess
{
    /// <summary>Stage blocks, list them and commit the block list (the source, uploading).</summary>
    Write,

    /// <summary>Read properties and ranges (the target, downloading).</summary>
    Read,
}
