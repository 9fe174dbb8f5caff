namespace Serverless.Snmp.Profiles;

/// <summary>A value that tells whether a member is healthy.</summary>
public sealed record HealthCheck(string Name, OidTemplate Oid, IReadOnlyList<string> Healthy);
