using System.ComponentModel.DataAnnotations;

namespace Serverless.ControlPlane.Registration;

public sealed class RegistrationOptions
{
    public const string SectionName = "Registration";

    /// <summary>How long a registration waits for the agent's verification result before rejecting, unless the request says.</summary>
    [Range(1, 86_400)]
    public int VerificationTimeoutSeconds { get; set; } = 120;

    /// <summary>The oldest libvirt a virtualization host may run (the library version on the host's side).</summary>
    [RegularExpression(@"^\d+\.\d+(\.\d+)?$")]
    public string MinimumLibvirtVersion { get; set; } = "4.0.0";

    /// <summary>How long a forced unregistration lets each instance shut down before destroying it.</summary>
    [Range(0, 3600)]
    public int DrainGraceSeconds { get; set; } = 120;
}
