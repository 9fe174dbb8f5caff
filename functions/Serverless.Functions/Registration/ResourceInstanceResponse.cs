using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Instances;

namespace Serverless.Functions.Registration;

/// <summary>An instance on a host, with the state last reported by the host's agent and when.</summary>
public sealed record ResourceInstanceResponse(string Name, string Zone, InstanceState State, DateTimeOffset UpdatedAt)
{
    public static ResourceInstanceResponse From(ResourceInstance i) => new(i.Name, i.Zone, i.State, i.UpdatedAt);
}
