using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Serverless.RelayAgent.Checks;

/// <summary>Whether the control plane answers at the configured URL, agrees on the time, and whom it takes the agent's credential for.</summary>
public static class ControlPlaneCheck
{
    public const string Reachable = "control plane";
    public const string Clock = "clock";
    public const string Credential = "credential";

    /// <summary>
    /// Commands carry deadlines in the control plane's time (30 s by default); an agent this far off sees them expire
    /// early or late. HTTP dates have whole seconds, so less is not measurable anyway.
    /// </summary>
    public const int MaxSkewSeconds = 5;

    /// <summary>
    /// One call to the health route answers two checks: whether the control plane is there, and, from the Date of its
    /// answer taken half-way through the call, whether this host's clock agrees with it.
    /// </summary>
    public static async Task<(CheckOutcome Reachable, CheckOutcome Clock)> ReachAsync(HttpClient http, TimeProvider clock, CancellationToken cancellationToken)
    {
        var url = http.BaseAddress!.AbsoluteUri;
        var unreachable = CheckOutcome.Skipped(Clock, "the control plane is not reachable.");
        try
        {
            var sent = clock.GetUtcNow();
            using var response = await http.GetAsync(new Uri("api/v1/health", UriKind.Relative), cancellationToken);
            var received = clock.GetUtcNow();
            if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable
                && await TryReadAsync(response, cancellationToken) is { } health && health.TryGetProperty("status", out var status))
            {
                return response.IsSuccessStatusCode
                    ? (CheckOutcome.Ok(Reachable, $"{url} answers (status {status.GetString()})."), CompareClock(sent + ((received - sent) / 2), response.Headers.Date))
                    : (CheckOutcome.Failed(Reachable, $"{url} answers but reports itself {status.GetString()}: {health.GetProperty("dependencies")}.",
                        "the control plane's own dependencies are down; nothing to change on this host, tell the control plane's operators."), unreachable);
            }

            return (CheckOutcome.Failed(Reachable, $"{url}api/v1/health answered {(int)response.StatusCode} {response.ReasonPhrase}, not the control plane's health report.",
                "set RelayAgent:ControlPlaneUrl to the control plane's base URL, without /api (for example https://<app>.azurewebsites.net/)."), unreachable);
        }
        catch (HttpRequestException exception)
        {
            return (CheckOutcome.Failed(Reachable, $"cannot reach {url}: {exception.Message}", exception.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "check the host name in RelayAgent:ControlPlaneUrl and this host's DNS.",
                HttpRequestError.SecureConnectionError => "check this host's clock and CA certificates (ca-certificates); a TLS-inspecting proxy needs its CA trusted.",
                HttpRequestError.ProxyTunnelError => "check HTTPS_PROXY and that the proxy allows the control plane's host.",
                _ => "check the scheme, host and port in RelayAgent:ControlPlaneUrl and that this host may open outbound HTTPS to it (set HTTPS_PROXY if it must go through a proxy).",
            }), unreachable);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (CheckOutcome.Failed(Reachable, $"{url} did not answer within {http.Timeout.TotalSeconds:0} s.",
                "check that a firewall or proxy is not dropping outbound HTTPS to the control plane."), unreachable);
        }
    }

    private static CheckOutcome CompareClock(DateTimeOffset local, DateTimeOffset? serverTime)
    {
        if (serverTime is null)
        {
            return CheckOutcome.Skipped(Clock, "the control plane's answer has no Date header to compare with.");
        }

        var skew = (local - serverTime.Value).TotalSeconds;
        return Math.Abs(skew) <= MaxSkewSeconds
            ? CheckOutcome.Ok(Clock, $"within {MaxSkewSeconds} s of the control plane's ({skew:+0.0;-0.0;0} s).")
            : CheckOutcome.Failed(Clock, $"this host's clock is {Math.Abs(skew):0} s {(skew > 0 ? "ahead of" : "behind")} the control plane's; commands would look expired or not yet due.",
                "turn on time synchronisation: timedatectl set-ntp true (systemd-timesyncd), or install chrony.");
    }

    public static async Task<CheckOutcome> AuthenticateAsync(HttpClient http, RelayAgentOptions agent, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("api/v1/agent/identity", UriKind.Relative), cancellationToken);
            var body = await TryReadAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                var revoked = body is { } problem && problem.TryGetProperty("type", out var type) && type.GetString()?.EndsWith("/credential-revoked", StringComparison.Ordinal) == true;
                return revoked
                    ? CheckOutcome.Failed(Credential, "the control plane says this credential was revoked (the zone's agents were removed, or an admin revoked it).",
                        "ask your admin for a new enrolment code and run: relay-agent enrol --url <url> --code <code> --agent-id <id>.")
                    : CheckOutcome.Failed(Credential, $"the control plane refused RelayAgent:Credential ({Describe(body)}).",
                        "set RelayAgent:Credential to the token enrolment wrote (sa1.<id>.<secret>), or enrol again with a new code.");
            }

            if (!response.IsSuccessStatusCode || body is not { } identity)
            {
                return CheckOutcome.Failed(Credential, $"api/v1/agent/identity answered {(int)response.StatusCode} {response.ReasonPhrase}.",
                    "check RelayAgent:ControlPlaneUrl; the control plane may be older than this agent.");
            }

            var (tenant, agentId, group, queue, credentialId) = (Text(identity, "tenantId"), Text(identity, "agentId"), Text(identity, "agentGroup"), Text(identity, "queueName"), Text(identity, "credentialId"));
            var mismatches = new List<string>();
            Compare("TenantId", agent.TenantId, tenant, mismatches);
            Compare("AgentId", agent.AgentId, agentId, mismatches);
            Compare("AgentGroup", agent.AgentGroup, group, mismatches);
            Compare("QueueName", agent.QueueName, queue, mismatches);
            return mismatches.Count == 0
                ? CheckOutcome.Ok(Credential, $"accepted: agent {agentId} of group {group}, tenant {tenant} (credential {credentialId}).")
                : CheckOutcome.Failed(Credential, $"accepted, but it belongs to agent {agentId} of group {group}, tenant {tenant}, queue {queue}: {string.Join("; ", mismatches)}.",
                    "set those RelayAgent settings to the credential's values, or enrol this agent with its own code.");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return CheckOutcome.Failed(Credential, $"the identity call failed: {exception.Message}", "see the control plane check above.");
        }
    }

    private static void Compare(string setting, string configured, string actual, List<string> mismatches)
    {
        if (!string.Equals(configured, actual, StringComparison.Ordinal))
        {
            mismatches.Add($"RelayAgent:{setting} is '{configured}', the credential's is '{actual}'");
        }
    }

    private static string Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() ?? string.Empty : string.Empty;

    private static string Describe(JsonElement? problem) =>
        problem is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "no detail" : "no detail";

    private static async Task<JsonElement?> TryReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(AgentJsonContext.Default.JsonElement, cancellationToken);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
