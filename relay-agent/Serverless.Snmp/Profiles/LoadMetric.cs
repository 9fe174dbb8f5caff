namespace Serverless.Snmp.Profiles;

/// <summary>A load metric: a gauge read as is, or a counter turned into a rate; multiplied by <see cref="Scale"/>.</summary>
public sealed record LoadMetric(string Metric, OidTemplate Oid, string Kind, double Scale);
