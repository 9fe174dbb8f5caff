using Serverless.Contracts.Commands;

namespace Serverless.Contracts.Snmp;

/// <summary>A member whose metrics could not be read.</summary>
/// <param name="ResourceId">The member.</param>
/// <param name="Kind">The category, as for a failed command.</param>
/// <param name="Message">What happened.</param>
public sealed record MetricsPollFailure(string ResourceId, CommandErrorKind Kind, string Message);
