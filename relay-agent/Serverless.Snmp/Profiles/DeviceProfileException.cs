namespace Serverless.Snmp.Profiles;

/// <summary>A profile file is invalid; the message names the file and the field.</summary>
public sealed class DeviceProfileException(string message) : Exception(message);
