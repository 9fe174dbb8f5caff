using System.Net;

namespace Serverless.Snmp;

/// <summary>Where and how to reach an agent with an SNMPv3 user (USM); the engine is discovered on first use.</summary>
public sealed record UsmTarget(IPEndPoint EndPoint, UsmUser User, string ContextName = "") : SnmpTarget(EndPoint);
