using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Migrations;

/// <summary>How a migration ended, or that it has not.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<MigrationStatus>))]
public enum MigrationStatus
{
    Running,

    /// <summary>The instance runs at the target; for a test migration, its copy ran there and was removed.</summary>
    Succeeded,

    /// <summary>A preflight check refused it; the source was not touched.</summary>
    Refused,

    /// <summary>A step failed; the target was cleaned up and the source runs again (for a test: a cutover would fail).</summary>
    RolledBack,

    /// <summary>The fallback itself failed: the source's saved state is kept on its host; see the reason.</summary>
    Failed,
}
