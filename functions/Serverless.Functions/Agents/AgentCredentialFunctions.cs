using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Serverless.ControlPlane.Agents;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Agents;

/// <summary>
/// Relay agents' uplink credentials: <c>POST /api/v1/agents/credentials</c> (admin key) issues one, shown once;
/// <c>DELETE /api/v1/agents/credentials/{id}</c> (admin key) revokes one at once; <c>POST /api/v1/agent/credentials/rotate</c>
/// (the agent, with its current credential) replaces the caller's, which keeps working for a short grace period.
/// </summary>
public sealed class AgentCredentialFunctions(AgentCredentialService credentials, RequestTenant tenant, ILogger<AgentCredentialFunctions> logger)
{
    [Function(FunctionNames.IssueAgentCredential)]
    [ApiOperation("Issue an agent credential directly (operators; agents normally enrol).", Request = typeof(IssueAgentCredentialRequest), Response = typeof(AgentCredentialResponse), Status = 201, Caller = ApiCaller.Admin)]
    public async Task<IResult> IssueAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/agents/credentials")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var (body, problem) = await JsonRequestReader.ReadAsync<IssueAgentCredentialRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await credentials.IssueAsync(tenantId, body!, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error);
        }

        var credential = outcome.Value.Credential;
        Logs.AgentCredentialIssued(logger, credential.CredentialId, credential.AgentId, credential.AgentGroup, credential.TenantId);
        return TypedResults.Created(
            $"/api/v1/agents/credentials/{credential.CredentialId}",
            new AgentCredentialResponse(credential.CredentialId, credential.TenantId, credential.AgentId, credential.AgentGroup, credential.CreatedAt, outcome.Value.Token));
    }

    [Function(FunctionNames.RevokeAgentCredential)]
    [ApiOperation("Revoke an agent credential at once.", Response = typeof(RevokedCredentialResponse), Problems = [404], Caller = ApiCaller.Admin)]
    public async Task<IResult> RevokeAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "delete", Route = "v1/agents/credentials/{credentialId}")] HttpRequest request,
        string credentialId,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var outcome = await credentials.RevokeAsync(tenantId, credentialId, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error);
        }

        var revoked = outcome.Value;
        Logs.AgentCredentialRevoked(logger, revoked.CredentialId, revoked.AgentId);
        return TypedResults.Ok(new RevokedCredentialResponse(revoked.CredentialId, revoked.AgentId, revoked.AgentGroup, revoked.RevokedAt!.Value));
    }

    [Function(FunctionNames.RotateAgentCredential)]
    [ApiOperation("An agent trades its credential for a new one; the old one works 15 more minutes.", Response = typeof(AgentCredentialResponse), Caller = ApiCaller.Agent)]
    public async Task<IResult> RotateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/agent/credentials/rotate")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if ((await credentials.AuthenticateAsync(request.Headers.Authorization, cancellationToken)).IsRefused(out var agent, out var refusal))
        {
            return refusal;
        }

        var outcome = await credentials.RotateAsync(agent, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error);
        }

        var credential = outcome.Value.Credential;
        Logs.AgentCredentialRotated(logger, agent.AgentId, agent.CredentialId, credential.CredentialId);
        return TypedResults.Ok(new AgentCredentialResponse(credential.CredentialId, credential.TenantId, credential.AgentId, credential.AgentGroup, credential.CreatedAt, outcome.Value.Token));
    }
}
