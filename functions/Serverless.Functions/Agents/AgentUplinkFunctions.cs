using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Contracts.Agents;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Migrations;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Migrations;
using Serverless.ControlPlane.Pools;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Agents;

/// <summary>
/// <c>/api/v1/agent/*</c>: what relay agents send up over HTTPS. Anonymous at the Functions level: every call carries
/// the agent's own bearer credential instead, and each call is idempotent so agents can retry until acknowledged.
/// </summary>
public sealed class AgentUplinkFunctions(
    AgentCredentialService credentials,
    CommandService commands,
    AgentTelemetryService telemetry,
    PoolEvaluationService pools,
    InstanceReconciler reconciler,
    MigrationService migrations,
    RecentOrchestrations orchestrations,
    IOptions<CommandChannelOptions> channel,
    ILogger<AgentUplinkFunctions> logger)
{
    [Function(FunctionNames.PostCommandResult)]
    [ApiOperation("An agent reports a command's result; idempotent.", Request = typeof(CommandResult), Response = typeof(UplinkAcknowledgement), Problems = [404], Caller = ApiCaller.Agent)]
    public async Task<IResult> PostResultAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/agent/results")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if ((await AuthenticateAsync(request, cancellationToken)).IsRefused(out var agent, out var refusal))
        {
            return refusal;
        }

        var (result, problem) = await JsonRequestReader.ReadAsync<CommandResult>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await commands.AcceptResultAsync(agent, result!, (r, ct) => RaiseAsync(durableClient, r, ct), cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error);
        }

        Logs.CommandResultTaken(logger, result!.CommandId, agent.AgentId, result.Status.ToString(), outcome.Value.ToString());
        return TypedResults.Ok(new UplinkAcknowledgement(result.CommandId, outcome.Value == ResultAcceptance.Duplicate));
    }

    [Function(FunctionNames.GetAgentIdentity)]
    [ApiOperation("Who the calling agent's credential belongs to; changes nothing.", Response = typeof(AgentIdentityResponse), Caller = ApiCaller.Agent)]
    public async Task<IResult> GetIdentityAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/agent/identity")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if ((await AuthenticateAsync(request, cancellationToken)).IsRefused(out var agent, out var refusal))
        {
            return refusal;
        }

        return TypedResults.Ok(new AgentIdentityResponse(agent.TenantId, agent.AgentId, agent.AgentGroup, agent.CredentialId, channel.Value.QueueNameFor(agent.TenantId)));
    }

    [Function(FunctionNames.PostAgentHeartbeat)]
    [ApiOperation("An agent's heartbeat.", Request = typeof(AgentHeartbeat), Response = typeof(UplinkAcknowledgement), Caller = ApiCaller.Agent)]
    public async Task<IResult> PostHeartbeatAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/agent/heartbeats")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if ((await AuthenticateAsync(request, cancellationToken)).IsRefused(out var agent, out var refusal))
        {
            return refusal;
        }

        var (heartbeat, problem) = await JsonRequestReader.ReadAsync<AgentHeartbeat>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await telemetry.RecordHeartbeatAsync(agent, heartbeat!, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(new UplinkAcknowledgement(heartbeat!.AgentId, false)) : ApiResults.Problem(outcome.Error);
    }

    [Function(FunctionNames.PostAgentMetrics)]
    [ApiOperation("An agent uploads a batch of metric samples; idempotent per batch.", Request = typeof(MetricBatch), Response = typeof(UplinkAcknowledgement), Caller = ApiCaller.Agent)]
    public async Task<IResult> PostMetricsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/agent/metrics")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if ((await AuthenticateAsync(request, cancellationToken)).IsRefused(out var agent, out var refusal))
        {
            return refusal;
        }

        var (batch, problem) = await JsonRequestReader.ReadAsync<MetricBatch>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await telemetry.RecordMetricsAsync(agent, batch!, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(new UplinkAcknowledgement(batch!.BatchId, false)) : ApiResults.Problem(outcome.Error);
    }

    [Function(FunctionNames.GrantBlobAccess)]
    [ApiOperation("An agent asks for a SAS of one blob of a migration its step needs now (write for the source while it uploads, read for the target while it restores).",
        Request = typeof(BlobAccessRequest), Response = typeof(BlobAccessGrant), Problems = [404, 409], Caller = ApiCaller.Agent)]
    public async Task<IResult> GrantBlobAccessAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/agent/blob-access")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if ((await AuthenticateAsync(request, cancellationToken)).IsRefused(out var agent, out var refusal))
        {
            return refusal;
        }

        var (body, problem) = await JsonRequestReader.ReadAsync<BlobAccessRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await migrations.GrantAsync(agent, body!, cancellationToken);
        Logs.BlobAccessGranted(logger, body!.MigrationId, agent.AgentId, body.Artifact.ToString(), body.Access.ToString(), outcome.Succeeded);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error);
    }

    private async Task RaiseAsync(DurableTaskClient durableClient, CommandResult result, CancellationToken cancellationToken)
    {
        if (PoolCommandCorrelation.TryParse(result.Correlation, out var poolId, out var memberId))
        {
            await pools.ApplyResultAsync(result.TenantId, poolId, memberId, result, cancellationToken);
            Logs.PoolMemberAnswered(logger, poolId, memberId, result.Kind, result.Status.ToString());
            return;
        }

        if (HostReportCorrelation.TryParse(result.Correlation, out var hostId, out var askedAt))
        {
            Logs.InstanceReportApplied(logger, hostId, await reconciler.ApplyReportAsync(result.TenantId, hostId, askedAt, result, cancellationToken));
            return;
        }

        if (result.Correlation.InstanceId is not { } instanceId)
        {
            return;
        }

        if (!await orchestrations.ExistsAsync(instanceId, async () => await durableClient.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null))
        {
            Logs.CommandResultOrphaned(logger, result.CommandId, instanceId);
            return;
        }

        await durableClient.RaiseEventAsync(instanceId, result.Correlation.EventName!, result, cancellationToken);
    }

    /// <summary>Authenticates the agent's bearer credential; a refusal is logged with the route.</summary>
    private async Task<AgentAuthentication> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var authentication = await credentials.AuthenticateAsync(request.Headers.Authorization, cancellationToken);
        if (authentication.Agent is null)
        {
            Logs.AgentUnauthenticated(logger, request.Path, authentication.Revoked);
        }

        return authentication;
    }
}
