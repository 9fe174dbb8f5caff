using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Serverless.Contracts;
using Serverless.Contracts.Agents;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Migrations;
using Serverless.RelayAgent.Handlers;

namespace Serverless.RelayAgent.Uplink;

/// <summary>
/// Posts results, heartbeats and metrics to the control plane with the agent's bearer credential. Results are retried
/// with exponential backoff until acknowledged (every endpoint is idempotent); a request the control plane calls
/// invalid is logged and given up, since sending it again cannot help. A credential the control plane calls revoked
/// will never work again: the agent stops (exit code <see cref="AgentStatus.RevokedExitCode"/>), closing its session.
/// </summary>
public sealed class UplinkClient(HttpClient http, AgentStatus status, IHostApplicationLifetime lifetime, ILogger<UplinkClient> logger)
{
    private const string CredentialRevokedType = "https://hybrid-control-plane.dev/problems/credential-revoked";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>How long a blob access request is retried against an unreachable or failing control plane.</summary>
    public static readonly TimeSpan BlobAccessRetryWindow = TimeSpan.FromSeconds(30);

    public Task<bool> PostResultAsync(CommandResult result, CancellationToken cancellationToken) =>
        PostUntilAcknowledgedAsync("api/v1/agent/results", result, ContractsJsonContext.Default.CommandResult, result.CommandId, cancellationToken);

    public Task<bool> PostHeartbeatAsync(AgentHeartbeat heartbeat, CancellationToken cancellationToken) =>
        PostOnceAsync("api/v1/agent/heartbeats", heartbeat, ContractsJsonContext.Default.AgentHeartbeat, cancellationToken);

    public Task<bool> PostMetricsAsync(MetricBatch batch, CancellationToken cancellationToken) =>
        PostUntilAcknowledgedAsync("api/v1/agent/metrics", batch, ContractsJsonContext.Default.MetricBatch, batch.BatchId, cancellationToken);

    /// <summary>
    /// Asks for a SAS of one blob of a migration; a refusal (the migration is past that step, or not this agent group's)
    /// is a command failure saying why. A control plane that is unreachable or answers 5xx, 408 or 429 is asked again
    /// with backoff for up to <see cref="BlobAccessRetryWindow"/>: a restart of the control plane must not make a
    /// migration fall back. The grant is a secret and is never logged.
    /// </summary>
    public async Task<BlobAccessGrant> RequestBlobAccessAsync(BlobAccessRequest request, CancellationToken cancellationToken)
    {
        var giveUpAt = DateTimeOffset.UtcNow + BlobAccessRetryWindow;
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            string reason;
            try
            {
                using var response = await http.PostAsJsonAsync("api/v1/agent/blob-access", request, ContractsJsonContext.Default.BlobAccessRequest, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.BlobAccessGrant, cancellationToken)
                        ?? throw new CommandFailure(CommandErrorKind.Internal, "the control plane answered a blob access request with no grant.");
                }

                var problem = await response.Content.ReadAsStringAsync(cancellationToken);
                var refusal = $"the control plane granted no {request.Access.ToString().ToLowerInvariant()} access to the {request.Artifact.ToString().ToLowerInvariant()} blob of migration {request.MigrationId}: {(int)response.StatusCode} {Truncate(problem)}";
                if (!IsTransient(response.StatusCode) || DateTimeOffset.UtcNow >= giveUpAt)
                {
                    throw new CommandFailure(
                        response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized ? CommandErrorKind.Unauthorized : CommandErrorKind.DeviceError, refusal);
                }

                reason = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (HttpRequestException exception)
            {
                if (DateTimeOffset.UtcNow >= giveUpAt)
                {
                    throw new CommandFailure(CommandErrorKind.Unreachable, $"{http.BaseAddress} is unreachable for a blob access grant: {exception.Message}");
                }

                reason = exception.Message;
            }

            Logs.UplinkRetry(logger, "api/v1/agent/blob-access", request.MigrationId, attempt, reason, delay.TotalMilliseconds);
            await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)), cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    public static void Configure(HttpClient client, RelayAgentOptions options)
    {
        client.BaseAddress = new Uri(options.ControlPlaneUrl.EndsWith('/') ? options.ControlPlaneUrl : options.ControlPlaneUrl + "/");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Credential);
        client.Timeout = TimeSpan.FromSeconds(30);
    }

    private async Task<bool> PostUntilAcknowledgedAsync<T>(string path, T body, JsonTypeInfo<T> typeInfo, string id, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            var (acknowledged, permanent, reason) = await TryPostAsync(path, body, typeInfo, cancellationToken);
            if (acknowledged)
            {
                return true;
            }

            if (permanent)
            {
                Logs.UplinkRefused(logger, path, id, reason);
                return false;
            }

            Logs.UplinkRetry(logger, path, id, attempt, reason, delay.TotalMilliseconds);
            await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)), cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private async Task<bool> PostOnceAsync<T>(string path, T body, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var (acknowledged, _, reason) = await TryPostAsync(path, body, typeInfo, cancellationToken);
        if (!acknowledged)
        {
            Logs.UplinkFailed(logger, path, reason);
        }

        return acknowledged;
    }

    private async Task<(bool Acknowledged, bool Permanent, string Reason)> TryPostAsync<T>(
        string path, T body, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync(path, body, typeInfo, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return (true, false, string.Empty);
            }

            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            var reason = $"{(int)response.StatusCode} {response.ReasonPhrase}: {Truncate(problem)}";
            if (response.StatusCode == HttpStatusCode.Unauthorized && problem.Contains(CredentialRevokedType, StringComparison.Ordinal))
            {
                if (status.MarkCredentialRevoked())
                {
                    Logs.CredentialRevoked(logger, http.BaseAddress?.ToString() ?? string.Empty);
                    lifetime.StopApplication();
                }

                return (false, true, reason);
            }

            // 401 stays retryable: an operator can fix a credential while the agent waits.
            var permanent = response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.RequestEntityTooLarge
                or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.UnprocessableEntity;
            return (false, permanent, reason);
        }
        catch (HttpRequestException exception)
        {
            return (false, false, $"{http.BaseAddress} is unreachable: {exception.Message}");
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, false, $"no answer within {http.Timeout.TotalSeconds:0} s: {exception.Message}");
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
