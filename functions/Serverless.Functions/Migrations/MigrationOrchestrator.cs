using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Migrations;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Migrations;
using Serverless.Functions.Commands;
using Serverless.Functions.Registration;

namespace Serverless.Functions.Migrations;

/// <summary>
/// Quiesce-migrate, in phases: preflight (reserve the target; the source describes the domain, the target says whether it
/// can restore it) → quiesce (pause at the source) → save (memory to a state file; the source stops) → upload (the state,
/// and the disk when it is a file, to Blob Storage) → restore (the target downloads, checks, restores paused) → verify
/// (the target resumes it and reports it running, and when asked its TCP port accepts a connection) → commit (the record moves) → clean up (the saved source and the blobs
/// go). A refusal in preflight touches nothing. Any failure before commit falls back: what was made at the target is
/// removed and the source is restored from its own state file and runs again. So at every moment exactly one copy runs,
/// or the instance is saved at its source. Every command id comes from the orchestration, so a host killed at any step
/// repeats that step's command, which the agent answers from its ledger; an upload interrupted by its agent's death is
/// sent again under a new id and continues from the blocks the blob holds. A test migration (<see cref="RehearseAsync"/>)
/// shares the preflight, quiesce and save, then brings the source back and rehearses the rest with a copy.
/// </summary>
public static class MigrationOrchestrator
{
    private const int UploadAttempts = 3;

    // A transfer gets a second per this many bytes on top of the step timeout.
    private const long BytesPerSecond = 4L * 1024 * 1024;

    [Function(FunctionNames.MigrationOrchestrator)]
    public static async Task<MigrationEnd> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var plan = context.GetInput<MigrationPlan>() ?? throw new InvalidOperationException("The migration orchestration was started without a plan.");
        var contracts = ContractsJsonContext.Default;

        if (await context.CallActivityAsync<string?>(FunctionNames.ReserveMigrationTarget, plan, RecordingRetry.Options) is { } full)
        {
            return await RefuseAsync(context, plan, [full]);
        }

        var described = await SendAsync(context, plan, "describe", plan.SourceZone, CommandKinds.DescribeInstance,
            JsonSerializer.SerializeToElement(new InstanceDescribePayload(plan.SourceUri, plan.Instance, plan.InstanceId), contracts.InstanceDescribePayload), plan.StepTimeoutSeconds);
        if (Output(described, contracts.InstanceDescribeOutput) is not { } source)
        {
            return await RefuseAsync(context, plan, [$"the source host could not describe the instance: {CommandResults.Describe(described)}"]);
        }

        if (source.State != InstanceState.Running)
        {
            return await RefuseAsync(context, plan, [$"the instance is {JsonNamingPolicy.CamelCase.ConvertName(source.State.ToString())} on its host, not running."]);
        }

        var checkedTarget = await SendAsync(context, plan, "check", plan.TargetZone, CommandKinds.CheckRestore,
            JsonSerializer.SerializeToElement(new RestoreCheckPayload(plan.TargetUri, plan.Instance, plan.InstanceId, source.Traits, plan.Image, source.Disk?.CapacityBytes ?? 0, source.Disk?.Volume.Name,
                plan.Mode == MigrationMode.Test),
                contracts.RestoreCheckPayload), plan.StepTimeoutSeconds);
        if (Output(checkedTarget, contracts.RestoreCheckOutput) is not { } check)
        {
            return await RefuseAsync(context, plan, [$"the target host could not be asked whether it can restore the instance: {CommandResults.Describe(checkedTarget)}"]);
        }

        if (check.Reasons.Count > 0)
        {
            return await RefuseAsync(context, plan, [.. check.Reasons.Select(r => $"{plan.TargetHost}: {r}")]);
        }

        // From here on the source is touched: every failure falls back.
        var sourceAction = JsonSerializer.SerializeToElement(new InstanceActionPayload(plan.SourceUri, plan.Instance), contracts.InstanceActionPayload);
        await PhaseAsync(context, new MigrationPhaseStep(plan.TenantId, plan.MigrationId, MigrationPhase.Quiesce));
        var quiesced = await SendAsync(context, plan, "quiesce", plan.SourceZone, CommandKinds.SuspendInstance, sourceAction, plan.StepTimeoutSeconds);
        if (quiesced.Status != CommandStatus.Succeeded)
        {
            return await FallBackAsync(context, plan, false, null, $"quiesce failed: {CommandResults.Describe(quiesced)}");
        }

        await PhaseAsync(context, new MigrationPhaseStep(plan.TenantId, plan.MigrationId, MigrationPhase.Save));
        var savedResult = await SendAsync(context, plan, "save", plan.SourceZone, CommandKinds.SaveInstance,
            JsonSerializer.SerializeToElement(new InstanceSavePayload(plan.SourceUri, plan.Instance, plan.InstanceId, plan.MigrationId), contracts.InstanceSavePayload),
            plan.StepTimeoutSeconds + TransferSeconds(plan.MemoryMiB * 1024L * 1024));
        if (Output(savedResult, contracts.InstanceSaveOutput) is not { } saved)
        {
            return await FallBackAsync(context, plan, false, null, $"save failed: {CommandResults.Describe(savedResult)}");
        }

        if (plan.Mode == MigrationMode.Test)
        {
            return await RehearseAsync(context, plan, source, check, saved.StateBytes);
        }

        await PhaseAsync(context, new MigrationPhaseStep(plan.TenantId, plan.MigrationId, MigrationPhase.Upload));
        var (state, stateFailure) = await UploadAsync(context, plan, TransferArtifact.State, null, saved.StateBytes);
        if (state is null)
        {
            return await FallBackAsync(context, plan, false, null, $"upload of the state failed: {stateFailure}");
        }

        var (disk, diskFailure) = await UploadDiskAsync(context, plan, source);
        if (diskFailure is not null)
        {
            return await FallBackAsync(context, plan, false, null, $"upload of the disk failed: {diskFailure}");
        }

        var (restoredResult, targetVolume, moved) = await RestoreAtTargetAsync(context, plan, source, check, state, disk, testCopy: false);
        if (Output(restoredResult, contracts.InstanceRestoreOutput) is not { } restored)
        {
            return await FallBackAsync(context, plan, true, targetVolume, $"restore at the target failed: {CommandResults.Describe(restoredResult)}");
        }

        targetVolume = restored.Volume ?? targetVolume;
        var verified = await VerifyAtTargetAsync(context, plan, moved);
        if (Output(verified, contracts.InstanceActionOutput) is not { State: InstanceState.Running })
        {
            return await FallBackAsync(context, plan, true, targetVolume, $"the restored instance did not run at the target: {CommandResults.Describe(verified)}");
        }

        if (plan.HealthCheck is { Port: { } port } health)
        {
            var timeout = health.TimeoutSeconds ?? MigrationService.DefaultHealthCheckSeconds;
            var healthy = await SendAsync(context, plan, "health", plan.TargetZone, CommandKinds.CheckInstanceHealth,
                JsonSerializer.SerializeToElement(new HealthCheckPayload(plan.TargetUri, plan.Instance, health.Address, port, timeout), contracts.HealthCheckPayload),
                plan.StepTimeoutSeconds + timeout);
            if (healthy.Status != CommandStatus.Succeeded)
            {
                return await FallBackAsync(context, plan, true, targetVolume, $"the health check at the target failed: {CommandResults.Describe(healthy)}");
            }
        }

        await context.CallActivityAsync(FunctionNames.CommitMigration, new MigrationCommit(plan, targetVolume), RecordingRetry.Options);
        await PhaseAsync(context, new MigrationPhaseStep(plan.TenantId, plan.MigrationId, MigrationPhase.CleanUp));
        var released = await SendAsync(context, plan, "release", plan.SourceZone, CommandKinds.ReleaseInstance,
            JsonSerializer.SerializeToElement(new InstanceReleasePayload(plan.SourceUri, plan.Instance, plan.InstanceId, plan.MigrationId, plan.SourceVolume), contracts.InstanceReleasePayload),
            plan.StepTimeoutSeconds);
        var note = released.Status == CommandStatus.Succeeded
            ? null
            : $"the instance runs at {plan.TargetHost}; removing its saved source from {plan.SourceHost} failed ({CommandResults.Describe(released)}), so its state file and disk may remain there.";
        if (plan.RetainHours > 0)
        {
            await context.CreateTimer(context.CurrentUtcDateTime.AddHours(plan.RetainHours), CancellationToken.None);
        }

        await context.CallActivityAsync<int>(FunctionNames.DeleteMigrationBlobs, plan, RecordingRetry.Options);
        return await EndAsync(context, new MigrationEnd(plan.TenantId, plan.MigrationId, MigrationStatus.Succeeded, note, []));
    }

    /// <summary>
    /// Sends the file, again under a new command id when an attempt was cut short (its agent died or did not answer): the
    /// agent then continues from the blocks the blob holds. A refusal (no such file, a SAS refused) is not tried again.
    /// </summary>
    private static async Task<(TransferOutput? Output, string? Failure)> UploadAsync(
        TaskOrchestrationContext context, MigrationPlan plan, TransferArtifact artifact, InstanceVolume? volume, long bytes)
    {
        var payload = JsonSerializer.SerializeToElement(
            new InstanceUploadPayload(plan.SourceUri, plan.Instance, plan.InstanceId, plan.MigrationId, artifact, volume, MigrationService.TuningFor(plan.Tuning, bytes)),
            ContractsJsonContext.Default.InstanceUploadPayload);
        var failure = string.Empty;
        for (var attempt = 1; attempt <= UploadAttempts; attempt++)
        {
            var result = await SendAsync(context, plan, $"upload-{artifact}-{attempt}".ToLowerInvariant(), plan.SourceZone, CommandKinds.UploadInstance, payload,
                plan.StepTimeoutSeconds + TransferSeconds(bytes));
            if (Output(result, ContractsJsonContext.Default.TransferOutput) is { } output)
            {
                return (output, null);
            }

            failure = CommandResults.Describe(result);
            if (result.Status != CommandStatus.TimedOut && result.Error?.Kind is not (CommandErrorKind.Internal or CommandErrorKind.Unreachable or CommandErrorKind.Timeout))
            {
                break;
            }
        }

        return (null, failure);
    }

    /// <summary>The upload of the instance's disk file when it has one to move; neither an output nor a failure when it has none.</summary>
    private static async Task<(TransferOutput? Output, string? Failure)> UploadDiskAsync(TaskOrchestrationContext context, MigrationPlan plan, InstanceDescribeOutput source) =>
        source.Disk is { IsFile: true } disk ? await UploadAsync(context, plan, TransferArtifact.Disk, disk.Volume, disk.FileBytes) : (null, null);

    /// <summary>
    /// A test migration after the save. The disk, when it moves, goes up while the source is still stopped, so the copy's
    /// disk matches its memory; then the source runs again from its own state file, kept for the upload; the state goes
    /// up and the source lets the file go; the target restores a copy with its network detached and resumes it; the copy
    /// is destroyed and the blobs deleted. A failure before the source runs again falls back as a cutover's does; one
    /// after it is the test's verdict: a cutover would fail, and why.
    /// </summary>
    private static async Task<MigrationEnd> RehearseAsync(TaskOrchestrationContext context, MigrationPlan plan, InstanceDescribeOutput source, RestoreCheckOutput check, long stateBytes)
    {
        var contracts = ContractsJsonContext.Default;
        await PhaseAsync(context, new MigrationPhaseStep(plan.TenantId, plan.MigrationId, MigrationPhase.Upload));
        var (disk, diskFailure) = await UploadDiskAsync(context, plan, source);
        if (diskFailure is not null)
        {
            return await FallBackAsync(context, plan, false, null, $"upload of the disk failed: {diskFailure}");
        }

        var resumed = await SendAsync(context, plan, "resume-source", plan.SourceZone, CommandKinds.RevertInstance,
            JsonSerializer.SerializeToElement(new InstanceRevertPayload(plan.SourceUri, plan.Instance, plan.InstanceId, plan.MigrationId, KeepStateFile: true), contracts.InstanceRevertPayload),
            plan.StepTimeoutSeconds + TransferSeconds(plan.MemoryMiB * 1024L * 1024));
        if (Output(resumed, contracts.InstanceActionOutput) is not { State: InstanceState.Running })
        {
            return await FallBackAsync(context, plan, false, null, $"the source did not run again after the save: {CommandResults.Describe(resumed)}");
        }

        var notes = new List<string>();
        var (state, stateFailure) = await UploadAsync(context, plan, TransferArtifact.State, null, stateBytes);
        var letGo = await SendAsync(context, plan, "release-state", plan.SourceZone, CommandKinds.RevertInstance,
            JsonSerializer.SerializeToElement(new InstanceRevertPayload(plan.SourceUri, plan.Instance, plan.InstanceId, plan.MigrationId), contracts.InstanceRevertPayload),
            plan.StepTimeoutSeconds);
        if (letGo.Status != CommandStatus.Succeeded)
        {
            notes.Add($"deleting the saved state at the source failed ({CommandResults.Describe(letGo)}); it may remain in {plan.SourceHost}'s agent state folder");
        }

        if (state is null)
        {
            return await EndTestAsync(context, plan, false, null, $"upload of the state failed: {stateFailure}", notes);
        }

        var (restoredResult, copyVolume, moved) = await RestoreAtTargetAsync(context, plan, source, check, state, disk, testCopy: true);
        if (Output(restoredResult, contracts.InstanceRestoreOutput) is not { } restored)
        {
            return await EndTestAsync(context, plan, true, copyVolume, $"restore at the target failed: {CommandResults.Describe(restoredResult)}", notes);
        }

        copyVolume = restored.Volume ?? copyVolume;
        if (restored.InterfacesDown != restored.Interfaces)
        {
            return await EndTestAsync(context, plan, true, copyVolume,
                $"the copy at the target kept {restored.Interfaces - restored.InterfacesDown} of its {restored.Interfaces} network interface(s) connected, so it was removed before it ran", notes);
        }

        var verified = await VerifyAtTargetAsync(context, plan, moved);
        return Output(verified, contracts.InstanceActionOutput) is { State: InstanceState.Running }
            ? await EndTestAsync(context, plan, true, copyVolume, null, notes)
            : await EndTestAsync(context, plan, true, copyVolume, $"the restored copy did not run at the target: {CommandResults.Describe(verified)}", notes);
    }

    /// <summary>
    /// The restore phase, a cutover's or a test's: recorded with the blobs' digests, then <c>instance.restore</c> at the
    /// target. Returns its result, the disk volume the target makes should it fail part way (in the pool its check named),
    /// and the bytes uploaded.
    /// </summary>
    private static async Task<(CommandResult Result, InstanceVolume? TargetVolume, long Moved)> RestoreAtTargetAsync(
        TaskOrchestrationContext context, MigrationPlan plan, InstanceDescribeOutput source, RestoreCheckOutput check, TransferOutput state, TransferOutput? disk, bool testCopy)
    {
        var stateDigest = new BlobDigest(state.Bytes, state.Sha256);
        var diskDigest = disk is null ? null : new BlobDigest(disk.Bytes, disk.Sha256);
        var moved = state.Bytes + (disk?.Bytes ?? 0);
        await PhaseAsync(context, new MigrationPhaseStep(plan.TenantId, plan.MigrationId, MigrationPhase.Restore, stateDigest, diskDigest, moved));
        var targetVolume = source.Disk is { } made && check.Pool is { } pool ? new InstanceVolume(pool, made.Volume.Name, string.Empty) : null;
        var result = await SendAsync(context, plan, "restore", plan.TargetZone, CommandKinds.RestoreInstance,
            JsonSerializer.SerializeToElement(new InstanceRestorePayload(
                plan.TargetUri, plan.Instance, plan.InstanceId, plan.MigrationId, stateDigest, source.Disk, diskDigest, plan.Image,
                MigrationService.TuningFor(plan.Tuning, Math.Max(state.Bytes, disk?.Bytes ?? 0)), testCopy), ContractsJsonContext.Default.InstanceRestorePayload),
            plan.StepTimeoutSeconds + TransferSeconds(moved));
        return (result, targetVolume, moved);
    }

    /// <summary>The verify phase: recorded, then <c>instance.resume</c> at the target, which must report the domain running.</summary>
    private static async Task<CommandResult> VerifyAtTargetAsync(TaskOrchestrationContext context, MigrationPlan plan, long moved)
    {
        await PhaseAsync(context, new MigrationPhaseStep(plan.TenantId, plan.MigrationId, MigrationPhase.Verify, BytesMoved: moved * 2));
        return await SendAsync(context, plan, "verify", plan.TargetZone, CommandKinds.ResumeInstance,
            JsonSerializer.SerializeToElement(new InstanceActionPayload(plan.TargetUri, plan.Instance), ContractsJsonContext.Default.InstanceActionPayload), plan.StepTimeoutSeconds);
    }

    /// <summary>
    /// The end of a test migration whose source runs again: the copy (when the target may have made one: the domain, and
    /// its disk volume) is destroyed, the blobs go, the instance is settled at its source. <paramref name="failure"/>
    /// null: the copy ran, a cutover would succeed.
    /// </summary>
    private static async Task<MigrationEnd> EndTestAsync(
        TaskOrchestrationContext context, MigrationPlan plan, bool targetTouched, InstanceVolume? copyVolume, string? failure, List<string> notes)
    {
        await PhaseAsync(context, new MigrationPhaseStep(plan.TenantId, plan.MigrationId, MigrationPhase.CleanUp));
        if (targetTouched)
        {
            var removed = await SendAsync(context, plan, "remove-copy", plan.TargetZone, CommandKinds.TerminateInstance,
                JsonSerializer.SerializeToElement(new InstanceTerminatePayload(plan.TargetUri, plan.Instance, plan.InstanceId, copyVolume), ContractsJsonContext.Default.InstanceTerminatePayload),
                plan.StepTimeoutSeconds);
            if (removed.Status != CommandStatus.Succeeded)
            {
                notes.Add($"removing the test copy failed ({CommandResults.Describe(removed)}); terminate '{plan.Instance}' on {plan.TargetHost} by hand");
            }
        }

        await context.CallActivityAsync<int>(FunctionNames.DeleteMigrationBlobs, plan, RecordingRetry.Options);
        await context.CallActivityAsync(FunctionNames.SettleMigrationAtSource, new MigrationSettlement(plan, true, null), RecordingRetry.Options);
        var why = failure is null ? notes : [$"a cutover would fail: {failure}", .. notes];
        return await EndAsync(context, new MigrationEnd(plan.TenantId, plan.MigrationId, failure is null ? MigrationStatus.Succeeded : MigrationStatus.RolledBack,
            why.Count == 0 ? null : string.Join("; ", why), [], failure is null));
    }

    /// <summary>
    /// The fallback: the target's copy (when the restore may have made one: the domain, and the disk volume in the pool it
    /// named) is removed, then the source is restored from its own
    /// state file and runs; the record goes back to the source, the target's reservation and the blobs go.
    /// </summary>
    private static async Task<MigrationEnd> FallBackAsync(TaskOrchestrationContext context, MigrationPlan plan, bool targetTouched, InstanceVolume? targetVolume, string reason)
    {
        await PhaseAsync(context, new MigrationPhaseStep(plan.TenantId, plan.MigrationId, MigrationPhase.FallingBack));
        var notes = new List<string> { reason };
        if (targetTouched)
        {
            var undone = await SendAsync(context, plan, "undo-target", plan.TargetZone, CommandKinds.TerminateInstance,
                JsonSerializer.SerializeToElement(new InstanceTerminatePayload(plan.TargetUri, plan.Instance, plan.InstanceId, targetVolume), ContractsJsonContext.Default.InstanceTerminatePayload),
                plan.StepTimeoutSeconds);
            if (undone.Status != CommandStatus.Succeeded)
            {
                notes.Add($"removing what the target made failed ({CommandResults.Describe(undone)}); terminate '{plan.Instance}' on {plan.TargetHost} by hand");
            }
        }

        var reverted = await SendAsync(context, plan, "revert", plan.SourceZone, CommandKinds.RevertInstance,
            JsonSerializer.SerializeToElement(new InstanceRevertPayload(plan.SourceUri, plan.Instance, plan.InstanceId, plan.MigrationId), ContractsJsonContext.Default.InstanceRevertPayload),
            plan.StepTimeoutSeconds + TransferSeconds(plan.MemoryMiB * 1024L * 1024));
        var running = Output(reverted, ContractsJsonContext.Default.InstanceActionOutput) is { State: InstanceState.Running };
        if (!running)
        {
            notes.Add($"bringing the source back failed too ({CommandResults.Describe(reverted)}); its saved state is kept on {plan.SourceHost}");
        }

        var why = string.Join("; ", notes);
        await context.CallActivityAsync(FunctionNames.SettleMigrationAtSource, new MigrationSettlement(plan, running, why), RecordingRetry.Options);
        await context.CallActivityAsync<int>(FunctionNames.DeleteMigrationBlobs, plan, RecordingRetry.Options);
        return await EndAsync(context, new MigrationEnd(plan.TenantId, plan.MigrationId, running ? MigrationStatus.RolledBack : MigrationStatus.Failed, why, [],
            plan.Mode == MigrationMode.Test ? false : null));
    }

    /// <summary>A preflight refusal: the source was not touched; the instance runs on where it is and the target's reservation goes.</summary>
    private static async Task<MigrationEnd> RefuseAsync(TaskOrchestrationContext context, MigrationPlan plan, IReadOnlyList<string> reasons)
    {
        var why = $"preflight: {string.Join(" ", reasons)}";
        await context.CallActivityAsync(FunctionNames.SettleMigrationAtSource, new MigrationSettlement(plan, true, why), RecordingRetry.Options);
        return await EndAsync(context, new MigrationEnd(plan.TenantId, plan.MigrationId, MigrationStatus.Refused, why, reasons));
    }

    private static async Task<MigrationEnd> EndAsync(TaskOrchestrationContext context, MigrationEnd end)
    {
        await context.CallActivityAsync<bool>(FunctionNames.EndMigration, end, RecordingRetry.Options);
        return end;
    }

    private static Task<bool> PhaseAsync(TaskOrchestrationContext context, MigrationPhaseStep step) =>
        context.CallActivityAsync<bool>(FunctionNames.RecordMigrationPhase, step, RecordingRetry.Options);

    private static Task<CommandResult> SendAsync(TaskOrchestrationContext context, MigrationPlan plan, string step, string zone, string kind, JsonElement payload, int timeoutSeconds) =>
        CommandCalls.SendAndWaitAsync(context, step, plan.TenantId, zone, kind, payload, timeoutSeconds, null);

    private static T? Output<T>(CommandResult result, JsonTypeInfo<T> info)
        where T : class =>
        result.Status == CommandStatus.Succeeded ? result.Output?.Deserialize(info) : null;

    private static int TransferSeconds(long bytes) => (int)Math.Min(6 * 3600, bytes / BytesPerSecond);
}
