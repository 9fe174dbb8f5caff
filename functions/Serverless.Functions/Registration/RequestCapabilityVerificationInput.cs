using Serverless.ControlPlane.Registration;

namespace Serverless.Functions.Registration;

public sealed record RequestCapabilityVerificationInput(RegistrationPlan Plan, string InstanceId);
