namespace Serverless.ServiceBusEmulator.Configuration;

/// <summary>The configuration file is unreadable or invalid; the message names the field.</summary>
public sealed class EmulatorConfigException(string message) : Exception(message);
