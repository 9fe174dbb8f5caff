using Serverless.ControlPlane.Registration;

namespace Serverless.Functions.Registration;

public sealed record RecordRegistrationRequestedInput(RegistrationPlan Plan, string OperationId);
