using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Serverless.ControlPlane.Agents;
using Serverless.Functions.Http;

namespace Serverless.Functions.Agents;

/// <summary><c>POST /api/v1/agents/credentials</c> (admin key): issues a relay agent's uplink credential, shown once.</summary>
public sealed class AgentCredentialFunctions(AgentCredentialService credentials, RequestTenant tenant, ILogger<AgentCredentialFunctions> logger)
{
    [Function(FunctionNames.IssueAgentCredential)]
    public async Task<IResult> IssueAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/agents/credentials")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestReader.ReadAsync<IssueAgentCredentialRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await credentials.IssueAsync(tenant.Resolve(request), body!, cancellationToken);
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
}
