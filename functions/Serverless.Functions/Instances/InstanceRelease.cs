namespace Serverless.Functions.Instances;

public sealed record InstanceRelease(string TenantId, string HostId, string Name);
