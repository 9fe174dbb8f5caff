namespace Serverless.Snmp.Profiles;

/// <summary>One set of an activation or deactivation.</summary>
public sealed record ProfileSet(OidTemplate Oid, SnmpValue Value);
