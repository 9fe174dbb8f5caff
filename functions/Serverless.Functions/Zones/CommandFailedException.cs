namespace Serverless.Functions.Zones;

/// <summary>An agent command did not succeed; the message says why, in the words the operation shows.</summary>
public sealed class CommandFailedException(string message) : Exception(message);
