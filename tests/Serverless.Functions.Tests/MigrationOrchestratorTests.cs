using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Migrations;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Migrations;
using Serverless.Functions.Commands;
using Serverless.Functions.Migrations;

namespace Serverless.Functions.Tests;

/// <summary>
/// Quiesce-migrate against a fake context and an agent that answers every command at once (each test changes the
/// answers it is about): the phases in order and the commit before the clean-up; an upload cut short sent again under
/// a new id, a refused one not; a failure before the target was touched brings the source back alone, one after it
/// removes the copy from the pool the check named first; a source not running is refused without being touched; a
/// test migration brings the source back before its copy is restored, and a copy with its network still connected is
/// removed before it runs.
/// </summary>
public sealed class MigrationOrchestratorTests
{
    private const string Migration = "0123456789abcdef0123456789abcdef";
    private const string Instance = $"contoso.{Migration}";
    private const long StateBytes = 128L * 1024 * 1024;
    private const long DiskFileBytes = 1024L * 1024 * 1024;
    private static readonly DateTime Start = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private static readonly InstanceVolume SourceVolume = new("default", "web.qcow2", "/var/lib/libvirt/images/web.qcow2");
    private static readonly InstanceVolume RestoredVolume = new("migrated", "web.qcow2", "/srv/migrated/web.qcow2");

    private static readonly MigrationPlan Plan = new(
        "contoso", Migration, "web", "contoso/web", "ubuntu", 1, 128, null, null, "dc-1", "kvm-dc", "qemu+ssh://kvm-dc/system", SourceVolume,
        "cloud-1", "kvm-cloud", "qemu:///system", new TransferTuning(4 * 1024 * 1024, 4), 60, 0);

    private readonly Dictionary<string, Func<CommandRequest, CommandResult>> _agent = new(StringComparer.Ordinal)
    {
        [CommandKinds.DescribeInstance] = r => AgentAnswer.Succeeded(r, new InstanceDescribeOutput("web", InstanceState.Running,
            new DomainTraits("x86_64", "kvm", "pc-q35-8.2", "host-model", null, null), new InstanceDisk(SourceVolume, "qcow2", 10L << 30, DiskFileBytes, true)), ContractsJsonContext.Default.InstanceDescribeOutput),
        [CommandKinds.CheckRestore] = r => AgentAnswer.Succeeded(r, new RestoreCheckOutput([], "migrated"), ContractsJsonContext.Default.RestoreCheckOutput),
        [CommandKinds.SuspendInstance] = r => AgentAnswer.Succeeded(r, new InstanceActionOutput("web", InstanceState.Paused), ContractsJsonContext.Default.InstanceActionOutput),
        [CommandKinds.SaveInstance] = r => AgentAnswer.Succeeded(r, new InstanceSaveOutput("web", StateBytes, 1.5), ContractsJsonContext.Default.InstanceSaveOutput),
        [CommandKinds.UploadInstance] = r =>
        {
            var artifact = r.Payload.Deserialize(ContractsJsonContext.Default.InstanceUploadPayload)!.Artifact;
            var (bytes, digest) = artifact == TransferArtifact.State ? (StateBytes, "5a5a") : (DiskFileBytes, "d15c");
            return AgentAnswer.Succeeded(r, new TransferOutput(artifact, bytes, digest, 32, 32, 0, 2), ContractsJsonContext.Default.TransferOutput);
        },
        [CommandKinds.RestoreInstance] = r => AgentAnswer.Succeeded(r, new InstanceRestoreOutput("web", InstanceState.Paused, RestoredVolume, StateBytes + DiskFileBytes, 3), ContractsJsonContext.Default.InstanceRestoreOutput),
        [CommandKinds.ResumeInstance] = r => AgentAnswer.Succeeded(r, new InstanceActionOutput("web", InstanceState.Running), ContractsJsonContext.Default.InstanceActionOutput),
        [CommandKinds.CheckInstanceHealth] = r => AgentAnswer.To(r),
        [CommandKinds.ReleaseInstance] = r => AgentAnswer.To(r),
        [CommandKinds.RevertInstance] = r => AgentAnswer.Succeeded(r, new InstanceActionOutput("web", InstanceState.Running), ContractsJsonContext.Default.InstanceActionOutput),
        [CommandKinds.TerminateInstance] = r => AgentAnswer.To(r),
    };

    private readonly List<CommandRequest> _sent = [];
    private readonly List<MigrationPhase> _phases = [];
    private readonly List<MigrationSettlement> _settled = [];
    private readonly List<MigrationCommit> _committed = [];

    [Fact]
    public async Task ACutover_RunsEveryPhaseInOrder_CommitsBeforeCleaningUp_AndNeverWaitsOnATimer()
    {
        var context = Context(Plan);

        var end = await MigrationOrchestrator.RunAsync(context);

        Assert.Equal((MigrationStatus.Succeeded, null), (end.Status, end.Reason));
        Assert.Equal(
            ["instance.describe@dc-1", "instance.restoreCheck@cloud-1", "instance.suspend@dc-1", "instance.save@dc-1", "instance.upload@dc-1", "instance.upload@dc-1",
                "instance.restore@cloud-1", "instance.resume@cloud-1", "instance.release@dc-1"],
            _sent.Select(r => $"{r.Kind}@{r.AgentGroup}"));
        Assert.Equal(
            [MigrationPhase.Quiesce, MigrationPhase.Save, MigrationPhase.Upload, MigrationPhase.Restore, MigrationPhase.Verify, MigrationPhase.CleanUp], _phases);
        Assert.Equal(new MigrationCommit(Plan, RestoredVolume), _committed.Single());
        var order = context.Calls.Select(c => c.Name).ToList();
        Assert.True(order.IndexOf(FunctionNames.CommitMigration) < order.LastIndexOf(FunctionNames.RecordMigrationPhase), string.Join(", ", order));
        Assert.Equal([FunctionNames.DeleteMigrationBlobs, FunctionNames.EndMigration], order.TakeLast(2));
        Assert.Empty(_settled);
        Assert.Empty(context.Timers);

        // The restore is handed what the uploads reported, and the save's and uploads' deadlines grow with their bytes.
        var restore = Payload(CommandKinds.RestoreInstance, ContractsJsonContext.Default.InstanceRestorePayload);
        Assert.Equal((new BlobDigest(StateBytes, "5a5a"), new BlobDigest(DiskFileBytes, "d15c"), false), (restore.State, restore.DiskBlob, restore.TestCopy));
        Assert.Equal(60 + 32, _sent.Single(r => r.Kind == CommandKinds.SaveInstance).TimeoutSeconds);
        Assert.Equal([60 + 32, 60 + 256], _sent.Where(r => r.Kind == CommandKinds.UploadInstance).Select(r => r.TimeoutSeconds));
    }

    [Fact]
    public async Task AnUploadCutShortTwice_IsSentAgainUnderANewIdEachTime_AndTheThirdCarriesTheMigrationThrough()
    {
        var cutShort = 0;
        var upload = _agent[CommandKinds.UploadInstance];
        _agent[CommandKinds.UploadInstance] = r => cutShort++ < 2 ? AgentAnswer.Failed(r, CommandErrorKind.Internal, "the agent stopped mid-upload") : upload(r);
        var context = Context(Plan);

        var end = await MigrationOrchestrator.RunAsync(context);

        Assert.Equal(MigrationStatus.Succeeded, end.Status);
        Assert.Equal(
            [CommandCalls.CommandId(Instance, "upload-state-1"), CommandCalls.CommandId(Instance, "upload-state-2"), CommandCalls.CommandId(Instance, "upload-state-3"),
                CommandCalls.CommandId(Instance, "upload-disk-1")],
            _sent.Where(r => r.Kind == CommandKinds.UploadInstance).Select(r => r.CommandId));
    }

    [Fact]
    public async Task ARefusedUpload_IsNotSentAgain_AndFallsBackAtTheSourceAlone_ForTheTargetWasNotTouched()
    {
        _agent[CommandKinds.UploadInstance] = r => AgentAnswer.Failed(r, CommandErrorKind.Unauthorized, "the SAS was refused");
        var context = Context(Plan);

        var end = await MigrationOrchestrator.RunAsync(context);

        Assert.Equal(MigrationStatus.RolledBack, end.Status);
        Assert.Equal("upload of the state failed: unauthorized: the SAS was refused", end.Reason);
        Assert.Equal(
            ["instance.describe", "instance.restoreCheck", "instance.suspend", "instance.save", "instance.upload", "instance.revert"], _sent.Select(r => r.Kind));
        Assert.Equal(new MigrationSettlement(Plan, true, end.Reason), _settled.Single());
        Assert.Equal(MigrationPhase.FallingBack, _phases[^1]);
        Assert.Empty(_committed);
        Assert.Equal([FunctionNames.SettleMigrationAtSource, FunctionNames.DeleteMigrationBlobs, FunctionNames.EndMigration], context.Calls.Select(c => c.Name).TakeLast(3));
    }

    [Fact]
    public async Task AFailedRestore_RemovesWhatTheTargetMayHaveMade_InThePoolItsCheckNamed_ThenBringsTheSourceBack()
    {
        _agent[CommandKinds.RestoreInstance] = r => AgentAnswer.Failed(r, CommandErrorKind.DeviceError, "the state file's checksum does not match");
        var context = Context(Plan);

        var end = await MigrationOrchestrator.RunAsync(context);

        Assert.Equal(MigrationStatus.RolledBack, end.Status);
        Assert.Equal("restore at the target failed: deviceError: the state file's checksum does not match", end.Reason);
        Assert.Equal(["instance.restore@cloud-1", "instance.terminate@cloud-1", "instance.revert@dc-1"], _sent.TakeLast(3).Select(r => $"{r.Kind}@{r.AgentGroup}"));
        Assert.Equal(new InstanceVolume("migrated", "web.qcow2", string.Empty), Payload(CommandKinds.TerminateInstance, ContractsJsonContext.Default.InstanceTerminatePayload).Volume);
        Assert.True(_settled.Single().SourceRunning);
    }

    [Fact]
    public async Task ASourceThatCannotBeBroughtBack_EndsFailed_SayingItsStateIsKept()
    {
        _agent[CommandKinds.SaveInstance] = r => AgentAnswer.Failed(r, CommandErrorKind.DeviceError, "no space left for the state file");
        _agent[CommandKinds.RevertInstance] = r => AgentAnswer.Failed(r, CommandErrorKind.Unreachable, "the host went away");
        var context = Context(Plan);

        var end = await MigrationOrchestrator.RunAsync(context);

        Assert.Equal(MigrationStatus.Failed, end.Status);
        Assert.Equal(
            "save failed: deviceError: no space left for the state file; bringing the source back failed too (unreachable: the host went away); its saved state is kept on kvm-dc",
            end.Reason);
        Assert.False(_settled.Single().SourceRunning);
    }

    [Fact]
    public async Task ASourceNotRunning_IsRefusedInPreflight_WithoutAnyCommandThatTouchesIt()
    {
        _agent[CommandKinds.DescribeInstance] = r => AgentAnswer.Succeeded(r, new InstanceDescribeOutput("web", InstanceState.ShutOff, new DomainTraits("x86_64", "kvm", null, null, null, null), null),
            ContractsJsonContext.Default.InstanceDescribeOutput);
        var context = Context(Plan);

        var end = await MigrationOrchestrator.RunAsync(context);

        Assert.Equal(MigrationStatus.Refused, end.Status);
        Assert.Equal("preflight: the instance is shutOff on its host, not running.", end.Reason);
        Assert.Equal([CommandKinds.DescribeInstance], _sent.Select(r => r.Kind));
        Assert.Equal(new MigrationSettlement(Plan, true, end.Reason), _settled.Single());
        Assert.Empty(_phases);
    }

    [Fact]
    public async Task AFailedHealthCheck_FallsBack_AndAKeptSourceIsReleasedOnlyAfterTheRetentionTimer()
    {
        _agent[CommandKinds.CheckInstanceHealth] = r => AgentAnswer.Failed(r, CommandErrorKind.Timeout, "10.0.0.7:443 did not accept within 20 s");
        var failing = Context(Plan with { HealthCheck = new MigrationHealthCheck(443, "10.0.0.7", 20) });
        var end = await MigrationOrchestrator.RunAsync(failing);
        Assert.Equal(("the health check at the target failed: timeout: 10.0.0.7:443 did not accept within 20 s", 60 + 20),
            (end.Reason, _sent.Single(r => r.Kind == CommandKinds.CheckInstanceHealth).TimeoutSeconds));
        Assert.Equal(CommandKinds.TerminateInstance, _sent[^2].Kind);

        _agent[CommandKinds.CheckInstanceHealth] = r => AgentAnswer.To(r);
        var retained = Context(Plan with { RetainHours = 2 });
        Assert.Equal(MigrationStatus.Succeeded, (await MigrationOrchestrator.RunAsync(retained)).Status);
        Assert.Equal([Start.AddHours(2)], retained.Timers);
    }

    [Fact]
    public async Task ATestMigration_BringsTheSourceBackBeforeTheCopyIsRestored_RunsTheCopy_ThenRemovesIt()
    {
        var context = Context(Plan with { Mode = MigrationMode.Test });

        var end = await MigrationOrchestrator.RunAsync(context);

        Assert.Equal((MigrationStatus.Succeeded, true), (end.Status, end.CutoverWouldSucceed));
        Assert.Equal(
            ["instance.describe", "instance.restoreCheck", "instance.suspend", "instance.save", "instance.upload", "instance.revert", "instance.upload", "instance.revert",
                "instance.restore", "instance.resume", "instance.terminate"],
            _sent.Select(r => r.Kind));
        var reverts = _sent.Where(r => r.Kind == CommandKinds.RevertInstance).Select(r => r.Payload.Deserialize(ContractsJsonContext.Default.InstanceRevertPayload)!.KeepStateFile);
        Assert.Equal([true, false], reverts);
        Assert.Equal(
            [TransferArtifact.Disk, TransferArtifact.State],
            _sent.Where(r => r.Kind == CommandKinds.UploadInstance).Select(r => r.Payload.Deserialize(ContractsJsonContext.Default.InstanceUploadPayload)!.Artifact));
        Assert.True(Payload(CommandKinds.RestoreInstance, ContractsJsonContext.Default.InstanceRestorePayload).TestCopy);
        Assert.Equal(new MigrationSettlement(Plan with { Mode = MigrationMode.Test }, true, null), _settled.Single());
        Assert.Empty(_committed);
    }

    [Fact]
    public async Task ATestCopyWithItsNetworkStillConnected_IsRemovedBeforeItRuns_AndTheVerdictSaysWhy()
    {
        _agent[CommandKinds.RestoreInstance] = r => AgentAnswer.Succeeded(r, new InstanceRestoreOutput("web", InstanceState.Paused, RestoredVolume, 1, 1, InterfacesDown: 1, Interfaces: 2),
            ContractsJsonContext.Default.InstanceRestoreOutput);
        var context = Context(Plan with { Mode = MigrationMode.Test });

        var end = await MigrationOrchestrator.RunAsync(context);

        Assert.Equal((MigrationStatus.RolledBack, false), (end.Status, end.CutoverWouldSucceed));
        Assert.Equal("a cutover would fail: the copy at the target kept 1 of its 2 network interface(s) connected, so it was removed before it ran", end.Reason);
        Assert.DoesNotContain(_sent, r => r.Kind == CommandKinds.ResumeInstance);
        Assert.Equal(RestoredVolume, Payload(CommandKinds.TerminateInstance, ContractsJsonContext.Default.InstanceTerminatePayload).Volume);
    }

    private FakeOrchestrationContext Context(MigrationPlan plan)
    {
        _sent.Clear();
        var context = new FakeOrchestrationContext(Instance, plan, Start);
        context.Activities[FunctionNames.SendCommand] = input =>
        {
            var request = (CommandRequest)input!;
            _sent.Add(request);
            context.Raise(request.Correlation.EventName!, _agent[request.Kind](request));
            return Task.FromResult<object?>(null);
        };
        context.Activities[FunctionNames.ReserveMigrationTarget] = _ => Task.FromResult<object?>(null);
        context.Activities[FunctionNames.RecordMigrationPhase] = input =>
        {
            _phases.Add(((MigrationPhaseStep)input!).Phase);
            return Task.FromResult<object?>(true);
        };
        context.Activities[FunctionNames.CommitMigration] = input =>
        {
            _committed.Add((MigrationCommit)input!);
            return Task.FromResult<object?>(null);
        };
        context.Activities[FunctionNames.SettleMigrationAtSource] = input =>
        {
            _settled.Add((MigrationSettlement)input!);
            return Task.FromResult<object?>(null);
        };
        context.Activities[FunctionNames.DeleteMigrationBlobs] = _ => Task.FromResult<object?>(2);
        context.Activities[FunctionNames.EndMigration] = _ => Task.FromResult<object?>(true);
        return context;
    }

    private T Payload<T>(string kind, JsonTypeInfo<T> info) => _sent.Single(r => r.Kind == kind).Payload.Deserialize(info)!;
}
