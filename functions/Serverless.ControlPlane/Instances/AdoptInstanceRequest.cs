namespace Serverless.ControlPlane.Instances;

/// <summary>
/// <c>POST /api/v1/instances/adopt</c>: take a domain found on a registered host (listed <c>managed: false</c> by
/// <c>GET /api/v1/resources/{host}/instances</c>) under management, as an instance of the same name.
/// </summary>
/// <param name="Host">The registered compute host that has the domain.</param>
/// <param name="Name">The domain's name, which becomes the instance's.</param>
/// <param name="Tags">Tags for the instance.</param>
/// <param name="ClientRequestId">A repeat with the same id answers the same operation.</param>
public sealed record AdoptInstanceRequest(string? Host, string? Name, IReadOnlyDictionary<string, string>? Tags, string? ClientRequestId);
