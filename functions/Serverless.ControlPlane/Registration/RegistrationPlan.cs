namespace Serverless.ControlPlane.Registration;

/// <summary>A validated registration: the input of the registration orchestration.</summary>
public sealed record RegistrationPlan(
    string TenantId,
    string ResourceId,
    string Zone,
    ResourceKind Kind,
    string Endpoint,
    string? DeviceProfile,
    IReadOnlyList<string> ServiceCategories,
    int VerificationTimeoutSeconds);
