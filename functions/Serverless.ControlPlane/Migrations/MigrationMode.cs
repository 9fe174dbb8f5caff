using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Migrations;

/// <summary>What a migration is for.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<MigrationMode>))]
public enum MigrationMode
{
    /// <summary>The instance moves to the target and runs there.</summary>
    Cutover,

    /// <summary>
    /// A rehearsal: the saved image is restored at the target with its network detached, resumed and destroyed, while the
    /// source runs on from its own saved state; the instance does not move.
    /// </summary>
    Test,
}
