namespace Serverless.Functions.Agents;

/// <summary>The answer to an uplink call: the id of what was taken, and whether it had been taken before.</summary>
public sealed record UplinkAcknowledgement(string Id, bool Duplicate);
