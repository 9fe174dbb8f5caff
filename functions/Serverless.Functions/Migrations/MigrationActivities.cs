using Microsoft.Azure.Functions.Worker;
using Serverless.ControlPlane.Migrations;

namespace Serverless.Functions.Migrations;

/// <summary>The side effects of the migration workflow; each calls one service method and is safe to repeat.</summary>
public sealed class MigrationActivities(MigrationService migrations)
{
    [Function(FunctionNames.ReserveMigrationTarget)]
    public Task<string?> ReserveTargetAsync([ActivityTrigger] MigrationPlan plan, CancellationToken cancellationToken) =>
        migrations.ReserveTargetAsync(plan, cancellationToken);

    [Function(FunctionNames.RecordMigrationPhase)]
    public Task<bool> RecordPhaseAsync([ActivityTrigger] MigrationPhaseStep step, CancellationToken cancellationToken) =>
        migrations.RecordPhaseAsync(step.TenantId, step.MigrationId, step.Phase, m => m with
        {
            State = step.State ?? m.State,
            Disk = step.Disk ?? m.Disk,
            BytesMoved = step.BytesMoved ?? m.BytesMoved,
        }, cancellationToken);

    [Function(FunctionNames.CommitMigration)]
    public Task CommitAsync([ActivityTrigger] MigrationCommit commit, CancellationToken cancellationToken) =>
        migrations.CommitAsync(commit.Plan, commit.TargetVolume, cancellationToken);

    [Function(FunctionNames.SettleMigrationAtSource)]
    public Task SettleAtSourceAsync([ActivityTrigger] MigrationSettlement settlement, CancellationToken cancellationToken) =>
        migrations.SettleAtSourceAsync(settlement.Plan, settlement.SourceRunning, settlement.Reason, cancellationToken);

    [Function(FunctionNames.DeleteMigrationBlobs)]
    public Task<int> DeleteBlobsAsync([ActivityTrigger] MigrationPlan plan, CancellationToken cancellationToken) =>
        migrations.DeleteBlobsAsync(plan.TenantId, plan.MigrationId, cancellationToken);

    [Function(FunctionNames.EndMigration)]
    public Task<bool> EndAsync([ActivityTrigger] MigrationEnd end, CancellationToken cancellationToken) =>
        migrations.EndAsync(end.TenantId, end.MigrationId, end.Status, end.Reason, end.Refusals, cancellationToken, end.CutoverWouldSucceed);
}
