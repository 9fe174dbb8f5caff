namespace Serverless.Snmp;

/// <summary>A message could not be decoded; the text says where and why.</summary>
public sealed class SnmpDecodeException(string message) : Exception(message);
