using System.ComponentModel.DataAnnotations;

namespace Serverless.ControlPlane.Registration;

public sealed class RegistrationOptions
{
    public const string SectionName = "Registration";

    /// <summary>How long a registration waits for the agent's verification result before rejecting.</summary>
    [Range(1, 86_400)]
    public int VerificationTimeoutSeconds { get; set; } = 120;
}
