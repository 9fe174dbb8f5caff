namespace Serverless.ControlPlane.Migrations;

/// <summary>
/// <c>POST /api/v1/instances/{name}/migrations</c>: move the running instance to a host of <see cref="TargetZone"/>
/// (placement chooses) or to <see cref="TargetHost"/>.
/// </summary>
/// <param name="TargetZone">The zone to move to; placement picks a host registered for <c>migration</c> there.</param>
/// <param name="TargetHost">The one host to move to.</param>
/// <param name="Mode"><c>cutover</c> (the default) moves the instance; <c>test</c> restores a copy at the target with its network detached, checks that it runs, and removes it, while the source runs on.</param>
/// <param name="RetainHours">Keep the state and disk blobs this long after a cutover (0 to 168; 0, the default, deletes them at once).</param>
/// <param name="HealthCheck">A TCP port that must accept a connection at the target before the migration commits.</param>
public sealed record MigrateInstanceRequest(string? TargetZone, string? TargetHost, string? Mode, int? RetainHours, MigrationHealthCheck? HealthCheck = null);
