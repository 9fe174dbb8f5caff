using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Serverless.Contracts.Agents;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Migrations;
using Serverless.Contracts.Snmp;

namespace Serverless.Contracts.Tests;

/// <summary>
/// The wire format is a contract between builds of the cloud and the agent that are deployed separately: these files
/// pin it. A change that breaks one of them needs a new schema version, not an edited golden file.
/// </summary>
public sealed class GoldenFileTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 19, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Indented = new(ContractsJsonContext.Default.Options) { WriteIndented = true };

    public static TheoryData<string> Files =>
    [
        "command-envelope.json", "command-result.json", "command-result-failed.json", "agent-heartbeat.json", "metric-batch.json",
        "snmp-set-payload.json", "snmp-bindings-output.json", "member-action-payload.json", "metrics-poll-payload.json", "metrics-poll-output.json",
        "verify-capabilities-payload.json", "capability-verification-result.json", "capability-verification-result-host.json",
        "instance-stop-payload.json", "instance-stop-output.json", "resource-uninstall-payload.json", "resource-uninstall-output.json",
        "instance-list-payload.json", "instance-list-output.json", "instance-define-payload.json", "instance-define-output.json",
        "instance-action-payload.json", "instance-action-output.json", "instance-terminate-payload.json", "instance-terminate-output.json",
        "instance-adopt-payload.json", "instance-adopt-output.json", "snmp-get-payload.json", "snmp-walk-payload.json", "member-action-output.json",
        "instance-start-payload.json", "instance-start-output.json", "metrics-subscribe-payload.json", "metrics-subscribe-output.json",
        "instance-describe-payload.json", "instance-describe-output.json", "restore-check-payload.json", "restore-check-output.json",
        "health-check-payload.json", "health-check-output.json",
        "instance-save-payload.json", "instance-save-output.json", "instance-upload-payload.json", "transfer-output.json",
        "instance-restore-payload.json", "instance-restore-output.json", "instance-revert-payload.json", "instance-release-payload.json",
        "instance-release-output.json", "blob-access-request.json", "blob-access-grant.json",
    ];

    private static InstanceVolume Disk => new("images", "web-1.qcow2", "/var/lib/libvirt/images/web-1.qcow2");

    private static InstanceDisk MigratingDisk => new(Disk, "qcow2", 21_474_836_480, 1_342_177_280, IsFile: true);

    private static DomainTraits Traits => new("x86_64", "kvm", "pc-i440fx-7.2", "custom", "Skylake-Server",
        "<cpu mode='custom' match='exact' check='full'><model fallback='forbid'>Skylake-Server</model><feature policy='disable' name='svm'/></cpu>");

    private static TransferTuning Tuning => new(8_388_608, 8);

    private const string MigrationId = "9d1c2b3a4f5e46a7b8c9d0e1f2a3b4c5";

    private static SnmpDevice Appliance => new("10.0.0.7:161", "lb-admin", TimeoutMilliseconds: 500, Retries: 1);

    [Theory]
    [MemberData(nameof(Files))]
    public void Samples_serialize_exactly_as_the_golden_file(string file)
    {
        var (value, type) = Sample(file);
        var json = JsonSerializer.Serialize(value, Info(type));
        Assert.Equal(Golden(file), Normalize(json));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Golden_files_read_back_to_the_same_json(string file)
    {
        var (_, type) = Sample(file);
        var value = JsonSerializer.Deserialize(Golden(file), Info(type));
        Assert.NotNull(value);
        Assert.Equal(Golden(file), Normalize(JsonSerializer.Serialize(value, Info(type))));
    }

    [Fact]
    public void Every_wire_type_has_a_golden_file()
    {
        // The context's [JsonSerializable] list is the wire: every type on it travels between builds deployed apart.
        var wireTypes = typeof(ContractsJsonContext).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(System.Text.Json.Serialization.JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!)
            .ToList();
        var pinned = ((IEnumerable<object[]>)Files).Select(row => Sample((string)row[0]).Type).ToHashSet();

        Assert.True(wireTypes.Count >= 30, $"only {wireTypes.Count} wire types found on ContractsJsonContext");
        Assert.Empty(wireTypes.Where(t => !pinned.Contains(t)).Select(t => t.Name));
    }

    [Fact]
    public void Enums_travel_as_camel_case_strings_and_unknown_values_are_refused()
    {
        Assert.Contains("\"status\": \"timedOut\"", Normalize(JsonSerializer.Serialize(
            CommandResultSample() with { Status = CommandStatus.TimedOut }, Info(typeof(CommandResult)))), StringComparison.Ordinal);
        var broken = Golden("command-result.json").Replace("\"succeeded\"", "\"exploded\"", StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(broken, ContractsJsonContext.Default.CommandResult));
    }

    private static JsonTypeInfo Info(Type type) => Indented.GetTypeInfo(type);

    private static string Golden(string file) => Normalize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", file)));

    private static string Normalize(string json) => json.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();

    private static (object Value, Type Type) Sample(string file) => file switch
    {
        "command-envelope.json" => (CommandSample(), typeof(CommandEnvelope)),
        "command-result.json" => (CommandResultSample(), typeof(CommandResult)),
        "command-result-failed.json" => (CommandResultSample() with
        {
            Status = CommandStatus.Failed,
            Output = null,
            Error = new CommandError(CommandErrorKind.Unreachable, "10.0.0.7:161 did not answer within 2 s (3 tries)"),
        }, typeof(CommandResult)),
        "agent-heartbeat.json" => (new AgentHeartbeat(1, "agent-7", "dc1-rack4", At, "1.0.0", "kvm-host-07", At.AddHours(-3), AgentRole.Active, 42, At.AddSeconds(-5)), typeof(AgentHeartbeat)),
        "metric-batch.json" => (new MetricBatch(1, "b-0001", "agent-7", "dc1-rack4",
            [new MetricSample("lb-member-3", "cpu.load", 0.73, At), new MetricSample("lb-member-3", "net.in.bytes", 123456789, At)]), typeof(MetricBatch)),
        "snmp-set-payload.json" => (new SnmpSetPayload(Appliance, [new SnmpBinding("1.3.6.1.4.1.8072.9999.1.1.3", "integer", "2")]), typeof(SnmpSetPayload)),
        "snmp-bindings-output.json" => (new SnmpBindingsOutput(
            [new SnmpBinding("1.3.6.1.2.1.1.5.0", "string", "lb-edge-1"), new SnmpBinding("1.3.6.1.2.1.1.9.1.2.9", "noSuchInstance", "")], Truncated: false), typeof(SnmpBindingsOutput)),
        "member-action-payload.json" => (new MemberActionPayload("lb-member-3", new SnmpMember(Appliance, "simulated-load-balancer", "3")), typeof(MemberActionPayload)),
        "metrics-poll-payload.json" => (new MetricsPollPayload(
            [new MetricsPollTarget("lb-member-3", new SnmpMember(Appliance with { TimeoutMilliseconds = null, Retries = null }, "simulated-load-balancer", "3"))]), typeof(MetricsPollPayload)),
        "metrics-poll-output.json" => (new MetricsPollOutput(
            [new MetricSample("lb-member-3", "connections.active", 420, At)],
            [new MetricsPollFailure("lb-member-4", CommandErrorKind.Unreachable, "10.0.0.8:161 did not answer within 1 s (3 tries).")]), typeof(MetricsPollOutput)),
        "verify-capabilities-payload.json" => (new VerifyCapabilitiesPayload(new SnmpVerification(Appliance, "simulated-load-balancer", ["1", "2"])), typeof(VerifyCapabilitiesPayload)),
        "capability-verification-result.json" => (new CapabilityVerificationResult(1, "4b0c8f5e2d7a4c1e9f3b6a8d0e2c4f61", true,
            new Dictionary<string, string> { ["snmp.profile"] = "simulated-load-balancer", ["snmp.sysObjectID"] = "1.3.6.1.4.1.8072.3.2.10" },
            ["not writable: 1.3.6.1.4.1.8072.9999.1.1.2 (NoAccess)."]), typeof(CapabilityVerificationResult)),
        "capability-verification-result-host.json" => (new CapabilityVerificationResult(1, "4b0c8f5e2d7a4c1e9f3b6a8d0e2c4f61", true,
            new Dictionary<string, string> { ["libvirt.driver"] = "QEMU", ["libvirt.saveRestore"] = "true" },
            [], [new HostInstance("web-1", InstanceState.Running), new HostInstance("batch-2", InstanceState.ShutOff)]), typeof(CapabilityVerificationResult)),
        "instance-stop-payload.json" => (new InstanceStopPayload("qemu:///system", "web-1", 120), typeof(InstanceStopPayload)),
        "instance-stop-output.json" => (new InstanceStopOutput("web-1", InstanceState.ShutOff, Forced: false), typeof(InstanceStopOutput)),
        "resource-uninstall-payload.json" => (new ResourceUninstallPayload("kvm-1", LibvirtUri: "qemu:///system"), typeof(ResourceUninstallPayload)),
        "resource-uninstall-output.json" => (new ResourceUninstallOutput("kvm-1", ["libvirt connection to qemu:///system closed"]), typeof(ResourceUninstallOutput)),
        "instance-list-payload.json" => (new InstanceListPayload("qemu:///system"), typeof(InstanceListPayload)),
        "instance-list-output.json" => (new InstanceListOutput("qemu:///system", [new HostInstance("web-1", InstanceState.Running), new HostInstance("batch-2", InstanceState.Paused)]), typeof(InstanceListOutput)),
        "instance-define-payload.json" => (new InstanceDefinePayload("qemu:///system", "web-1", "contoso/web-1", 2, 2048, "ubuntu-24.04"), typeof(InstanceDefinePayload)),
        "instance-define-output.json" => (new InstanceDefineOutput("web-1", InstanceState.ShutOff, Disk, Created: true), typeof(InstanceDefineOutput)),
        "instance-action-payload.json" => (new InstanceActionPayload("qemu:///system", "web-1"), typeof(InstanceActionPayload)),
        "instance-action-output.json" => (new InstanceActionOutput("web-1", InstanceState.Paused), typeof(InstanceActionOutput)),
        "instance-terminate-payload.json" => (new InstanceTerminatePayload("qemu:///system", "web-1", "contoso/web-1", Disk), typeof(InstanceTerminatePayload)),
        "instance-terminate-output.json" => (new InstanceTerminateOutput("web-1", DomainRemoved: true, VolumeRemoved: true), typeof(InstanceTerminateOutput)),
        "instance-adopt-payload.json" => (new InstanceAdoptPayload("qemu:///system", "legacy-db", "contoso/legacy-db"), typeof(InstanceAdoptPayload)),
        "instance-adopt-output.json" => (new InstanceAdoptOutput("legacy-db", InstanceState.Running, 4, 8192, Disk, Adopted: true), typeof(InstanceAdoptOutput)),
        "snmp-get-payload.json" => (new SnmpGetPayload(Appliance, ["1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.3.0"]), typeof(SnmpGetPayload)),
        "snmp-walk-payload.json" => (new SnmpWalkPayload(Appliance, "1.3.6.1.4.1.8072.9999.1.1", 500), typeof(SnmpWalkPayload)),
        "member-action-output.json" => (new MemberActionOutput("lb-member-3", true, [new SnmpBinding("1.3.6.1.4.1.8072.9999.1.1.3", "integer", "1")], true), typeof(MemberActionOutput)),
        "instance-start-payload.json" => (new InstanceStartPayload("qemu:///system", "web-1"), typeof(InstanceStartPayload)),
        "instance-start-output.json" => (new InstanceStartOutput("web-1", InstanceState.Running), typeof(InstanceStartOutput)),
        "metrics-subscribe-payload.json" => (new MetricsSubscribePayload("pool-web", 10, 120,
            [
                new MetricsPollTarget("lb-member-3", new SnmpMember(Appliance with { TimeoutMilliseconds = null, Retries = null }, "simulated-load-balancer", "3")),
                new MetricsPollTarget("kvm-1/web-1", null, new InstanceTarget("qemu:///system", "web-1")),
            ]), typeof(MetricsSubscribePayload)),
        "metrics-subscribe-output.json" => (new MetricsSubscribeOutput("pool-web", 1,
            [new MetricsPollFailure("kvm-1/web-1", CommandErrorKind.InvalidPayload, "qemu:///system is not a libvirt URI this agent serves.")], At.AddMinutes(2)), typeof(MetricsSubscribeOutput)),
        "instance-describe-payload.json" => (new InstanceDescribePayload("qemu:///system", "web-1", "contoso/web-1"), typeof(InstanceDescribePayload)),
        "instance-describe-output.json" => (new InstanceDescribeOutput("web-1", InstanceState.Running, Traits, MigratingDisk), typeof(InstanceDescribeOutput)),
        "restore-check-payload.json" => (new RestoreCheckPayload("qemu+tls://cloud-7/system", "web-1", "contoso/web-1", Traits, "ubuntu-24.04", 21_474_836_480, "web-1.qcow2"), typeof(RestoreCheckPayload)),
        "health-check-payload.json" => (new HealthCheckPayload("qemu+tls://cloud-7/system", "web-1", null, 443, 60), typeof(HealthCheckPayload)),
        "health-check-output.json" => (new HealthCheckOutput("192.168.122.41", 443, 3, 2_041), typeof(HealthCheckOutput)),
        "restore-check-output.json" => (new RestoreCheckOutput(["the host's hypervisor has no machine type 'pc-i440fx-7.2' (a restore can only go to the same or a newer QEMU)."], "images"), typeof(RestoreCheckOutput)),
        "instance-save-payload.json" => (new InstanceSavePayload("qemu:///system", "web-1", "contoso/web-1", MigrationId), typeof(InstanceSavePayload)),
        "instance-save-output.json" => (new InstanceSaveOutput("web-1", 734_003_200, 1.25), typeof(InstanceSaveOutput)),
        "instance-upload-payload.json" => (new InstanceUploadPayload("qemu:///system", "web-1", "contoso/web-1", MigrationId, TransferArtifact.Disk, Disk, Tuning), typeof(InstanceUploadPayload)),
        "transfer-output.json" => (new TransferOutput(TransferArtifact.State, 734_003_200, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 88, 80, 8, 6.5), typeof(TransferOutput)),
        "instance-restore-payload.json" => (new InstanceRestorePayload("qemu+tls://cloud-7/system", "web-1", "contoso/web-1", MigrationId,
            new BlobDigest(734_003_200, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"), MigratingDisk,
            new BlobDigest(1_342_177_280, "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"), "ubuntu-24.04", Tuning), typeof(InstanceRestorePayload)),
        "instance-restore-output.json" => (new InstanceRestoreOutput("web-1", InstanceState.Paused, Disk, 2_076_180_480, 14.5), typeof(InstanceRestoreOutput)),
        "instance-revert-payload.json" => (new InstanceRevertPayload("qemu:///system", "web-1", "contoso/web-1", MigrationId), typeof(InstanceRevertPayload)),
        "instance-release-payload.json" => (new InstanceReleasePayload("qemu:///system", "web-1", "contoso/web-1", MigrationId, Disk), typeof(InstanceReleasePayload)),
        "instance-release-output.json" => (new InstanceReleaseOutput("web-1", ["the saved domain's definition removed", "volume images/web-1.qcow2 deleted", "saved state file deleted"]), typeof(InstanceReleaseOutput)),
        "blob-access-request.json" => (new BlobAccessRequest(1, MigrationId, TransferArtifact.State, BlobAccess.Write), typeof(BlobAccessRequest)),
        "blob-access-grant.json" => (new BlobAccessGrant("https://stcontoso.blob.core.windows.net/instance-state/contoso/9d1c2b3a4f5e46a7b8c9d0e1f2a3b4c5/state?sv=2025-01-05&sr=b&sp=rcw&sig=REDACTED", At.AddHours(1)), typeof(BlobAccessGrant)),
        _ => throw new ArgumentException(file, nameof(file)),
    };

    private static CommandEnvelope CommandSample() => new(
        SchemaVersions.Current,
        "4b0c8f5e2d7a4c1e9f3b6a8d0e2c4f61",
        "contoso",
        "dc1-rack4",
        CommandKinds.Ping,
        JsonDocument.Parse("""{"echo":"hello"}""").RootElement,
        At,
        At.AddSeconds(30),
        "4b0c8f5e2d7a4c1e9f3b6a8d0e2c4f61",
        new CommandCorrelation("contoso.1f2e3d4c5b6a79880f1e2d3c4b5a6978", "CommandResult:4b0c8f5e2d7a4c1e9f3b6a8d0e2c4f61"),
        new TraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null));

    private static CommandResult CommandResultSample() => new(
        SchemaVersions.Current,
        "4b0c8f5e2d7a4c1e9f3b6a8d0e2c4f61",
        "contoso",
        "dc1-rack4",
        "agent-7",
        CommandKinds.Ping,
        CommandStatus.Succeeded,
        JsonDocument.Parse("""{"agentId":"agent-7","echo":"hello"}""").RootElement,
        null,
        new CommandTimings(At.AddMilliseconds(1000), At.AddMilliseconds(1001), At.AddMilliseconds(1002)),
        new CommandCorrelation("contoso.1f2e3d4c5b6a79880f1e2d3c4b5a6978", "CommandResult:4b0c8f5e2d7a4c1e9f3b6a8d0e2c4f61"),
        new TraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null));
}
