using System.Net;

namespace Serverless.Snmp;

/// <summary>An agent and the credentials to reach it with; <see cref="Timing"/> overrides the client's timeout and retries.</summary>
public abstract record SnmpTarget(IPEndPoint EndPoint)
{
    public SnmpClientOptions? Timing { get; init; }
}
