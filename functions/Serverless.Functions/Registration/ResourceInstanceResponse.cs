using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Instances;

namespace Serverless.Functions.Registration;

/// <summary>
/// A domain on a host, with the state last reported by the host's agent and when. <c>managed</c> is false for a domain
/// the API did not make: it is never touched, unless adopted (<c>POST /api/v1/instances/adopt</c>).
/// </summary>
public sealed record ResourceInstanceResponse(string Name, string Zone, InstanceState State, bool Managed, DateTimeOffset UpdatedAt)
{
    public static ResourceInstanceResponse From(ResourceInstance i, bool managed) => new(i.Name, i.Zone, i.State, managed, i.UpdatedAt);
}
