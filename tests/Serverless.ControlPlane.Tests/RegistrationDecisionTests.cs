using Serverless.Contracts;
using Serverless.ControlPlane.Registration;

namespace Serverless.ControlPlane.Tests;

public sealed class RegistrationDecisionTests
{
    [Fact]
    public void Decide_NoResult_RejectsNamingTheTimeout()
    {
        var decision = RegistrationDecision.Decide(null, 42);

        Assert.Equal(RegistrationState.Rejected, decision.State);
        Assert.Contains("within 42 seconds", Assert.Single(decision.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ReachableWithoutProblems_RegistersWithCapabilities()
    {
        var result = new CapabilityVerificationResult(1, "c1", true, new Dictionary<string, string> { ["hypervisor"] = "QEMU" }, []);

        var decision = RegistrationDecision.Decide(result, 10);

        Assert.Equal(RegistrationState.Registered, decision.State);
        Assert.Empty(decision.Reasons);
        Assert.Equal("QEMU", decision.Capabilities["hypervisor"]);
    }

    [Fact]
    public void Decide_UnreachableWithProblems_RejectsWithEveryReason()
    {
        var result = new CapabilityVerificationResult(1, "c1", false, new Dictionary<string, string>(), ["no save/restore", "too old"]);

        var decision = RegistrationDecision.Decide(result, 10);

        Assert.Equal(RegistrationState.Rejected, decision.State);
        Assert.Equal(3, decision.Reasons.Count);
        Assert.Contains("no save/restore", decision.Reasons);
        Assert.Contains("too old", decision.Reasons);
    }
}
