using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Registration;

namespace Serverless.ControlPlane.Tests;

public sealed class RegistrationDecisionTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string> QemuHost = new()
    {
        ["libvirt.driver"] = "QEMU",
        ["libvirt.libraryVersion"] = "9.0.0",
        ["libvirt.domainTypes"] = "kvm,qemu",
        ["libvirt.saveRestore"] = "true",
        ["libvirt.suspendResume"] = "true",
    };

    [Fact]
    public void Decide_TimedOut_RejectsNamingTheTimeoutAndTheZone()
    {
        var decision = RegistrationDecision.Decide(Host(["compute"]), Result(CommandStatus.TimedOut, null, new CommandError(CommandErrorKind.Timeout, "no answer")));

        Assert.Equal(RegistrationState.Rejected, decision.State);
        var reason = Assert.Single(decision.Reasons);
        Assert.Contains("within 42 seconds", reason, StringComparison.Ordinal);
        Assert.Contains("zone 'dc-1'", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AgentRefusedTheCommand_RejectsWithItsMessage()
    {
        var decision = RegistrationDecision.Decide(Appliance(), Result(CommandStatus.Failed, null,
            new CommandError(CommandErrorKind.InvalidPayload, "device.credential: this agent has no SNMP credential 'lb'")));

        Assert.Contains("no SNMP credential 'lb'", Assert.Single(decision.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ReachableHostMeetingEveryCategory_RegistersWithCapabilities()
    {
        var decision = RegistrationDecision.Decide(Host(["compute", "migration", "quiesce"]), Report(true, QemuHost));

        Assert.Equal(RegistrationState.Registered, decision.State);
        Assert.Empty(decision.Reasons);
        Assert.Equal("QEMU", decision.Capabilities["libvirt.driver"]);
    }

    [Theory]
    [InlineData("libvirt.libraryVersion", "3.9.0", "compute", "hypervisor too old: the host runs libvirt 3.9.0, older than the required 4.0.0.")]
    [InlineData("libvirt.saveRestore", "false", "migration", "missing feature: the category 'migration' needs save/restore")]
    [InlineData("libvirt.suspendResume", "false", "quiesce", "missing feature: the category 'quiesce' needs suspend/resume")]
    [InlineData("libvirt.domainTypes", "", "compute", "missing feature: the category 'compute' needs a domain type to run guests")]
    public void Decide_HostShortOfACategory_RejectsSayingWhat(string capability, string value, string category, string expected)
    {
        var capabilities = new Dictionary<string, string>(QemuHost) { [capability] = value };

        var decision = RegistrationDecision.Decide(Host([category]), Report(true, capabilities));

        Assert.Equal(RegistrationState.Rejected, decision.State);
        Assert.StartsWith(expected, Assert.Single(decision.Reasons), StringComparison.Ordinal);
        Assert.Equal(value, decision.Capabilities[capability]);
    }

    [Fact]
    public void Decide_ApplianceWithProblems_RejectsWithEveryProblem()
    {
        var decision = RegistrationDecision.Decide(Appliance(), Report(true, new Dictionary<string, string>(), "not writable: 1.3.6.1.4.1.8072.9999.1.1.1 (NoAccess).", "not readable: 1.3.6.1.2.1.1.2.0 (noSuchObject)."));

        Assert.Equal(RegistrationState.Rejected, decision.State);
        Assert.Equal(2, decision.Reasons.Count);
    }

    [Fact]
    public void Decide_UnreachableWithoutProblems_StillSaysWhy()
    {
        var decision = RegistrationDecision.Decide(Appliance(), Report(false, new Dictionary<string, string>()));

        Assert.Contains("could not reach the resource", Assert.Single(decision.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void VerificationPayload_NamesTheSectionForTheKind()
    {
        Assert.Equal("""{"libvirt":{"uri":"qemu:///system"}}""", Host([]).VerificationPayload().GetRawText());
        Assert.Equal(
            """{"snmp":{"device":{"address":"10.0.0.7:161","credential":"lb-admin"},"profile":"simulated-load-balancer","members":["1"]}}""",
            Appliance().VerificationPayload().GetRawText());
    }

    private static RegistrationPlan Host(IReadOnlyList<string> categories) =>
        new("contoso", "kvm-1", "dc-1", ResourceKind.VirtualizationHost, "qemu:///system", null, categories, 42, "4.0.0");

    private static RegistrationPlan Appliance() =>
        new("contoso", "lb-1", "dc-1", ResourceKind.SnmpAppliance, "10.0.0.7:161", "simulated-load-balancer", ["load-balancer"], 42, "4.0.0", "lb-admin", ["1"]);

    private static CommandResult Report(bool reachable, IReadOnlyDictionary<string, string> capabilities, params string[] problems) =>
        Result(CommandStatus.Succeeded, JsonSerializer.SerializeToElement(
            new CapabilityVerificationResult(SchemaVersions.Current, "c1", reachable, capabilities, problems), ContractsJsonContext.Default.CapabilityVerificationResult), null);

    private static CommandResult Result(CommandStatus status, JsonElement? output, CommandError? error) =>
        new(SchemaVersions.Current, "c1", "contoso", "dc-1", "agent-1", CommandKinds.VerifyCapabilities, status, output, error,
            new CommandTimings(At, At, At), new CommandCorrelation("i", "e"), null);
}
