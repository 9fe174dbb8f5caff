using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Telemetry;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Commands;

/// <summary>
/// Sends commands to agent groups and takes their results back: each command is logged, then put on the tenant's queue;
/// each result is checked against the agent that reports it, handed to whoever waits, and stored once.
/// </summary>
public sealed class CommandService(
    ICommandDispatcher dispatcher,
    ICommandLog log,
    ICommandResultStore results,
    ConnectivityService connectivity,
    IOptions<CommandChannelOptions> options)
{
    public CommandChannelOptions Options => options.Value;

    /// <summary>
    /// Sends the command, or returns its result when one is already recorded: a step re-executed after the host lost its
    /// progress finds the answer to the command it sent before, whose event may have reached the orchestration before
    /// the orchestration existed again to take it.
    /// </summary>
    public async Task<CommandResult?> SendAsync(CommandRequest request, CancellationToken cancellationToken) =>
        (await SendAllAsync([request], cancellationToken))[0];

    /// <summary>
    /// <see cref="SendAsync"/> for many commands at once, answered in their order: their recorded results are read
    /// together, each group's connectivity once, the log entries written together and the messages sent in batches.
    /// </summary>
    public async Task<IReadOnlyList<CommandResult?>> SendAllAsync(IReadOnlyList<CommandRequest> requests, CancellationToken cancellationToken)
    {
        var refusals = requests.Select(r => (r.TenantId, r.AgentGroup)).Distinct()
            .ToDictionary(g => g, g => connectivity.RefusalAsync(g.TenantId, g.AgentGroup, cancellationToken));
        var recorded = new CommandResult?[requests.Count];
        foreach (var tenant in Enumerable.Range(0, requests.Count).GroupBy(i => requests[i].TenantId, StringComparer.Ordinal))
        {
            var asked = tenant.ToList();
            var stored = await results.GetManyAsync(tenant.Key, [.. asked.Select(i => requests[i].CommandId)], cancellationToken);
            for (var k = 0; k < asked.Count; k++)
            {
                recorded[asked[k]] = stored[k];
            }
        }

        var answers = new CommandResult?[requests.Count];
        var sending = new List<CommandRequest>();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];

            // A group known to be silent answers at once: waiting for the deadline would only delay the same outcome.
            if (recorded[i] is null && await refusals[(request.TenantId, request.AgentGroup)] is { } refusal)
            {
                answers[i] = new CommandResult(SchemaVersions.Current, request.CommandId, request.TenantId, request.AgentGroup, string.Empty, request.Kind,
                    CommandStatus.Failed, null, new CommandError(CommandErrorKind.Unreachable, refusal),
                    new CommandTimings(request.IssuedAt, request.IssuedAt, request.IssuedAt), request.Correlation, request.Trace);
            }
            else if (recorded[i] is null)
            {
                sending.Add(request);
            }
            else
            {
                answers[i] = recorded[i];
            }
        }

        if (sending.Count > 0)
        {
            await log.RecordManyAsync([.. sending.Select(RecordOf)], cancellationToken);
            await dispatcher.SendManyAsync([.. sending.Select(EnvelopeOf)], cancellationToken);
        }

        return answers;
    }

    /// <summary>
    /// Sends a command whose id the caller has just made to a group it found connected moments ago: no result can be
    /// recorded for a new id, and connectivity is not read again, so a busy pool evaluator pays one log write and one
    /// send per command.
    /// </summary>
    public async Task SendNewAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        await log.RecordAsync(RecordOf(request), cancellationToken);
        await dispatcher.SendAsync(EnvelopeOf(request), cancellationToken);
    }

    private static CommandEnvelope EnvelopeOf(CommandRequest request) => new(
        SchemaVersions.Current,
        request.CommandId,
        request.TenantId,
        request.AgentGroup,
        request.Kind,
        request.Payload,
        request.IssuedAt,
        request.IssuedAt.AddSeconds(request.TimeoutSeconds),
        request.CommandId,
        request.Correlation,
        request.Trace);

    private static CommandRecord RecordOf(CommandRequest request) => new(
        request.TenantId, request.CommandId, request.Kind, request.AgentGroup, request.AgentGroup, request.IssuedAt,
        request.IssuedAt.AddSeconds(request.TimeoutSeconds), request.Correlation.InstanceId ?? string.Empty, request.Correlation.EventName ?? string.Empty,
        request.ParentInstanceId);

    /// <summary>The recorded result of a command, if an agent has reported one.</summary>
    public Task<CommandResult?> GetResultAsync(string tenantId, string commandId, CancellationToken cancellationToken) =>
        results.GetAsync(tenantId, commandId, cancellationToken);

    /// <summary>
    /// Takes an agent's result. <paramref name="notify"/> delivers it to the waiting orchestration before it is stored,
    /// so a failed delivery is retried by the agent's next post; a result already stored is acknowledged and not
    /// delivered again.
    /// </summary>
    public async Task<Outcome<ResultAcceptance>> AcceptResultAsync(
        AgentIdentity agent,
        CommandResult result,
        Func<CommandResult, CancellationToken, Task> notify,
        CancellationToken cancellationToken)
    {
        var errors = Validate(result);
        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        // Another tenant's or group's command is answered as unknown, never as forbidden.
        if (result.TenantId != agent.TenantId || result.AgentGroup != agent.AgentGroup)
        {
            return DomainError.NotFound("command", result.CommandId);
        }

        if (await results.GetAsync(result.TenantId, result.CommandId, cancellationToken) is not null)
        {
            return ResultAcceptance.Duplicate;
        }

        // Orchestrations wait for an event by name; other waiters (pools) are named by the event alone.
        if (result.Correlation.EventName is not null)
        {
            await notify(result, cancellationToken);
        }

        if (!await results.TryAddAsync(result, cancellationToken))
        {
            return ResultAcceptance.Duplicate;
        }

        ControlPlaneTelemetry.CommandCompleted(result);
        return ResultAcceptance.Accepted;
    }

    private static List<FieldError> Validate(CommandResult result)
    {
        var errors = new List<FieldError>();
        if (result.SchemaVersion != SchemaVersions.Current)
        {
            errors.Add(new FieldError("schemaVersion", $"must be {SchemaVersions.Current}."));
        }

        if (string.IsNullOrWhiteSpace(result.CommandId) || result.CommandId.Length > 128)
        {
            errors.Add(new FieldError("commandId", "is required, at most 128 characters."));
        }

        FieldRules.Name("agentGroup", result.AgentGroup, errors);
        if (string.IsNullOrWhiteSpace(result.Kind))
        {
            errors.Add(new FieldError("kind", "is required."));
        }

        if (result.Status == CommandStatus.Succeeded ? result.Error is not null : result.Error is null)
        {
            errors.Add(new FieldError("error", "is required exactly when the status is not succeeded."));
        }

        if (result.Correlation is null)
        {
            errors.Add(new FieldError("correlation", "is required (copy it from the command)."));
        }

        return errors;
    }
}
