namespace Serverless.Functions.LocalHost.Http;

internal sealed record HostStatus(string State, string Version, int ProcessId);
