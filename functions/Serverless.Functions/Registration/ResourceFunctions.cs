using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Registration;
using Serverless.Functions.Http;

namespace Serverless.Functions.Registration;

/// <summary><c>/api/v1/resources</c>: register premise resources and read where their registration stands.</summary>
public sealed class ResourceFunctions(RegistrationService registrations, RequestTenant tenant)
{
    [Function(FunctionNames.RegisterResource)]
    public async Task<IResult> RegisterAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/resources")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var (body, problem) = await JsonRequestReader.ReadAsync<RegisterResourceRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var plan = await registrations.PrepareAsync(tenantId, body!, cancellationToken);
        if (!plan.Succeeded)
        {
            return ApiResults.Problem(plan.Error);
        }

        var operationId = OperationIds.NewOperationId();
        await durableClient.ScheduleNewOrchestrationInstanceAsync(
            FunctionNames.RegistrationOrchestrator,
            plan.Value,
            new StartOrchestrationOptions(OperationIds.ToInstanceId(tenantId, operationId)),
            cancellationToken);
        var operationUrl = $"/api/v1/operations/{operationId}";
        return TypedResults.Accepted(operationUrl, new RegistrationAcceptedResponse(operationId, plan.Value.ResourceId, operationUrl));
    }

    [Function(FunctionNames.GetResource)]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/resources/{resourceId}")] HttpRequest request,
        string resourceId,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var outcome = await registrations.GetAsync(tenantId, resourceId, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(ResourceResponse.From(outcome.Value)) : ApiResults.Problem(outcome.Error);
    }
}
