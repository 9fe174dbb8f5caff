using Serverless.Contracts;

namespace Serverless.ControlPlane.Registration;

/// <summary>The final answer of a registration, and every reason behind a refusal.</summary>
public sealed record RegistrationDecision(
    RegistrationState State,
    IReadOnlyList<string> Reasons,
    IReadOnlyDictionary<string, string> Capabilities)
{
    /// <summary>
    /// Decides from the agent's verification result, or from its absence when the wait timed out.
    /// Pure and deterministic, so the orchestrator may call it directly.
    /// </summary>
    public static RegistrationDecision Decide(CapabilityVerificationResult? result, int timeoutSeconds)
    {
        if (result is null)
        {
            return new(RegistrationState.Rejected, [$"The zone's agent did not answer the capability verification within {timeoutSeconds} seconds."], new Dictionary<string, string>());
        }

        var reasons = new List<string>();
        if (!result.Reachable)
        {
            reasons.Add("The agent could not reach the resource with the configured endpoint and credentials.");
        }

        reasons.AddRange(result.Problems);
        return reasons.Count == 0
            ? new(RegistrationState.Registered, [], result.Capabilities)
            : new(RegistrationState.Rejected, reasons, result.Capabilities);
    }
}
