namespace Serverless.Contracts.Snmp;

/// <summary>
/// An SNMP agent as a command names it: its address and the name of a credential the relay agent holds in its own
/// configuration or secret store. Commands never carry communities or passwords.
/// </summary>
/// <param name="Address"><c>host</c>, <c>host:port</c> or <c>[ipv6]:port</c>; the port defaults to 161.</param>
/// <param name="Credential">Name of a credential in the agent's <c>RelayAgent:Snmp:Credentials</c> settings.</param>
/// <param name="TimeoutMilliseconds">How long each try waits for an answer; the agent's default when absent.</param>
/// <param name="Retries">How many times a request is sent again after a try times out; the agent's default when absent.</param>
public sealed record SnmpDevice(string Address, string Credential, int? TimeoutMilliseconds = null, int? Retries = null);
