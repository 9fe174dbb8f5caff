using Serverless.Contracts.Instances;

namespace Serverless.ControlPlane.Registration;

/// <summary>
/// What the host itself said before an unregistration went on: <see cref="Refusal"/> when it holds instances that are
/// not off and the unregistration is not forced (the records may have been stale); otherwise the plan to go on with,
/// draining what the host reports running, and a note when the host could not be asked and the records decided.
/// </summary>
/// <param name="Refusal">The outcome when the host is in use, else null.</param>
/// <param name="Plan">The plan to go on with.</param>
/// <param name="Reported">The host's instances, to record, when it answered.</param>
/// <param name="Note">A note for the outcome, when the host could not be asked.</param>
public sealed record HostCheck(UnregistrationOutcome? Refusal, UnregistrationPlan Plan, IReadOnlyList<HostInstance>? Reported, string? Note);
