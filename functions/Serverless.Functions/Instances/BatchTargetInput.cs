using Serverless.ControlPlane.Instances;

namespace Serverless.Functions.Instances;

public sealed record BatchTargetInput(string TenantId, string Name, InstanceAction Action);
