using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Serverless.ControlPlane.Agents;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Agents;

/// <summary>
/// Agent enrolment: <c>POST /api/v1/enrolments</c> (admin key) creates a one-time code for a zone;
/// <c>POST /api/v1/agent/enrol</c> (anonymous: the code is the proof) exchanges it for the agent's own credential.
/// </summary>
public sealed class EnrolmentFunctions(EnrolmentService enrolments, RequestTenant tenant, ILogger<EnrolmentFunctions> logger)
{
    [Function(FunctionNames.CreateEnrolment)]
    [ApiOperation("Create an enrolment for a zone; its one-time code is shown once.", Request = typeof(CreateEnrolmentRequest), Response = typeof(EnrolmentResponse), Status = 201, Caller = ApiCaller.Admin)]
    public async Task<IResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/enrolments")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var (body, problem) = await JsonRequestReader.ReadAsync<CreateEnrolmentRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await enrolments.CreateAsync(tenantId, body!, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error);
        }

        var e = outcome.Value.Enrolment;
        Logs.EnrolmentCreated(logger, e.EnrolmentId, e.Zone, e.TenantId, e.UsageLimit, e.ExpiresAt);
        return TypedResults.Created(
            $"/api/v1/enrolments/{e.EnrolmentId}",
            new EnrolmentResponse(e.EnrolmentId, e.TenantId, e.Zone, e.ExpiresAt, e.UsageLimit, e.Description, outcome.Value.Code));
    }

    [Function(FunctionNames.EnrolAgent)]
    [ApiOperation("An agent exchanges an enrolment code for its credential and group.", Request = typeof(EnrolAgentRequest), Response = typeof(EnrolledAgentResponse), Status = 201, Caller = ApiCaller.Anyone)]
    public async Task<IResult> EnrolAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/agent/enrol")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestReader.ReadAsync<EnrolAgentRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await enrolments.EnrolAsync(body!, cancellationToken);
        if (!outcome.Succeeded)
        {
            Logs.EnrolmentRefused(logger, outcome.Error.Title);
            return ApiResults.Problem(outcome.Error);
        }

        var (credential, token) = (outcome.Value.Credential.Credential, outcome.Value.Credential.Token);
        Logs.AgentEnrolled(logger, credential.AgentId, credential.AgentGroup, credential.TenantId, credential.CredentialId);
        return TypedResults.Created(
            $"/api/v1/agents/credentials/{credential.CredentialId}",
            new EnrolledAgentResponse(credential.TenantId, credential.AgentId, credential.AgentGroup, outcome.Value.QueueName, credential.CredentialId, token, outcome.Value.ServiceBusConnection));
    }
}
