using System.Net;

namespace Serverless.Snmp;

/// <summary>Where and how to reach an agent with a community (v1 or v2c).</summary>
public sealed record CommunityTarget(IPEndPoint EndPoint, string Community, SnmpVersion Version = SnmpVersion.V2c) : SnmpTarget(EndPoint);
