using Serverless.ControlPlane.Registration;

namespace Serverless.Functions.Registration;

public sealed record RecordUnregistrationOutcomeInput(UnregistrationPlan Plan, string OperationId, UnregistrationOutcome Outcome);
