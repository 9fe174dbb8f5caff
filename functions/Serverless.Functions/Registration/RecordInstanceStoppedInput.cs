using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Registration;

namespace Serverless.Functions.Registration;

public sealed record RecordInstanceStoppedInput(UnregistrationPlan Plan, InstanceStopOutput Stopped);
