using Microsoft.Azure.Functions.Worker;
using Serverless.ControlPlane.Registration;

namespace Serverless.Functions.Registration;

/// <summary>The side effects of the registration workflow; each calls one service method and is safe to retry.</summary>
public sealed class RegistrationActivities(RegistrationService registrations)
{
    [Function(FunctionNames.RecordRegistrationDecision)]
    public Task RecordDecisionAsync([ActivityTrigger] RecordRegistrationDecisionInput input, CancellationToken cancellationToken) =>
        registrations.RecordDecisionAsync(input.Plan, input.OperationId, input.Decision, cancellationToken);
}
