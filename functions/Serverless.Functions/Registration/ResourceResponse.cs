using Serverless.ControlPlane.Registration;

namespace Serverless.Functions.Registration;

public sealed record ResourceResponse(
    string Id,
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
    DateTimeOffset UpdatedAt)
{
    public static ResourceResponse From(ResourceRegistration r) => new(
        r.ResourceId, r.Zone, r.Kind, r.Endpoint, r.DeviceProfile, r.ServiceCategories, r.State, r.Reasons, r.Capabilities, r.OperationId, r.CreatedAt, r.UpdatedAt);
}
