using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Registration;

namespace Serverless.Functions.Registration;

public sealed record RecordHostInstancesInput(UnregistrationPlan Plan, IReadOnlyList<HostInstance> Reported);
