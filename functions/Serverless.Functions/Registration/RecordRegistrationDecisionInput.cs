using Serverless.ControlPlane.Registration;

namespace Serverless.Functions.Registration;

public sealed record RecordRegistrationDecisionInput(RegistrationPlan Plan, string OperationId, RegistrationDecision Decision);
