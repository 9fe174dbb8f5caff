namespace Serverless.Functions.LocalHost.Discovery;

/// <summary>The app holds a function the local host cannot run faithfully; the host refuses to start.</summary>
public sealed class UnsupportedFunctionException(string message) : Exception(message);
