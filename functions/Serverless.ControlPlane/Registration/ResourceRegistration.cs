namespace Serverless.ControlPlane.Registration;

/// <summary>A premise resource and where its registration stands; <see cref="ETag"/> is the stored version, null before it is stored.</summary>
public sealed record ResourceRegistration(
    string TenantId,
    string ResourceId,
    string Zone,
    ResourceKind Kind,
    string Endpoint,
    string? DeviceProfile,
    IReadOnlyList<string> ServiceCategories,
    RegistrationState State,
    IReadOnlyList<string> Reasons,
    IReadOnlyDictionary<string, string> Capabilities,
    string OperationId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Credential = null,
    string? ETag = null);
