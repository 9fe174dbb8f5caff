using Serverless.ControlPlane.Registration;

namespace Serverless.Functions.Registration;

/// <summary>A resource as the API shows it; <see cref="Credential"/> is the name of the agent's credential, never a secret.</summary>
public sealed record ResourceResponse(
    string Id,
    string Zone,
    ResourceKind Kind,
    string Endpoint,
    string? DeviceProfile,
    string? Credential,
    IReadOnlyList<string> ServiceCategories,
    RegistrationState State,
    IReadOnlyList<string> Reasons,
    IReadOnlyDictionary<string, string> Capabilities,
    string OperationId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ResourceResponse From(ResourceRegistration r) => new(
        r.ResourceId, r.Zone, r.Kind, r.Endpoint, r.DeviceProfile, r.Credential, r.ServiceCategories, r.State, r.Reasons, r.Capabilities, r.OperationId, r.CreatedAt, r.UpdatedAt);
}
