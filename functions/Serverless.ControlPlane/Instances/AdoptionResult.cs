using Serverless.Contracts.Instances;

namespace Serverless.ControlPlane.Instances;

/// <summary>What the host answered to an adoption: the domain as it is, or why it could not be adopted.</summary>
/// <param name="Plan">The adoption.</param>
/// <param name="Domain">The domain, when the agent adopted it.</param>
/// <param name="Refusal">Why not, otherwise.</param>
public sealed record AdoptionResult(AdoptPlan Plan, InstanceAdoptOutput? Domain, string? Refusal);
