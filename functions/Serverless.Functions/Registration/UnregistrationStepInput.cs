using Serverless.ControlPlane.Registration;

namespace Serverless.Functions.Registration;

public sealed record UnregistrationStepInput(UnregistrationPlan Plan, string OperationId);
