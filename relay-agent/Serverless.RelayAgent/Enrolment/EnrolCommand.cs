using System.Net.Http.Json;
using System.Text.Json;
using Serverless.RelayAgent.Configuration;

namespace Serverless.RelayAgent.Enrolment;

/// <summary>
/// <c>relay-agent enrol --url URL --code CODE --agent-id ID [--config FILE]</c>: exchanges a one-time enrolment code
/// for this agent's credential (and its queue's Service Bus connection, when the control plane keeps one) and writes the agent's identity into its configuration file (created with mode 0600,
/// other settings in an existing file kept). Errors print one line on stderr and exit 1; usage errors exit 2.
/// </summary>
public static class EnrolCommand
{
    public const string Usage = """
        Usage: relay-agent enrol --url CONTROL_PLANE_URL --code CODE --agent-id AGENT_ID [--config FILE]

          --url        base URL of the control plane, for example https://contoso-cp.azurewebsites.net/
          --code       the one-time enrolment code from your admin (en1.…)
          --agent-id   this agent's id: lowercase letters, digits and '-'
          --config     the agent's configuration file to write (default /etc/relay-agent/agent.json); it gets
                       RelayAgent:AgentId, AgentGroup, TenantId, QueueName, ControlPlaneUrl, Credential and, when
                       the control plane hands it out, ServiceBusConnection (else your admin gives it separately).
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, HttpMessageHandler? handler = null)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "--url" or "--code" or "--agent-id" or "--config" && i + 1 < args.Count)
            {
                options[args[i]] = args[++i];
            }
            else
            {
                await error.WriteLineAsync($"enrol: unexpected '{args[i]}'\n{Usage}");
                return 2;
            }
        }

        if (!options.TryGetValue("--url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("https" or "http")
            || !options.TryGetValue("--code", out var code) || !options.TryGetValue("--agent-id", out var agentId))
        {
            await error.WriteLineAsync($"enrol: --url (http or https), --code and --agent-id are required\n{Usage}");
            return 2;
        }

        var configPath = Path.GetFullPath(options.GetValueOrDefault("--config", AgentConfigFile.DefaultPath));
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        http.Timeout = TimeSpan.FromSeconds(30);
        JsonElement answer;
        try
        {
            using var response = await http.PostAsJsonAsync("api/v1/agent/enrol", new EnrolmentRequest(code, agentId), AgentJsonContext.Default.EnrolmentRequest);
            answer = await response.Content.ReadFromJsonAsync(AgentJsonContext.Default.JsonElement);
            if (!response.IsSuccessStatusCode)
            {
                await error.WriteLineAsync($"enrol: refused ({(int)response.StatusCode}): {Describe(answer)}");
                return 1;
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            await error.WriteLineAsync($"enrol: cannot reach {http.BaseAddress}: {exception.Message}");
            return 1;
        }

        var connectionHandedOut = answer.TryGetProperty("serviceBusConnection", out var connection) && connection.ValueKind == JsonValueKind.String;
        var agentGroup = answer.GetProperty("agentGroup").GetString();
        var tenantId = answer.GetProperty("tenantId").GetString();
        try
        {
            await AgentConfigFile.UpdateAsync(configPath, root =>
            {
                var section = AgentConfigFile.Section(root, [RelayAgentOptions.SectionName]);
                section["AgentId"] = answer.GetProperty("agentId").GetString();
                section["AgentGroup"] = agentGroup;
                section["TenantId"] = tenantId;
                section["QueueName"] = answer.GetProperty("queueName").GetString();
                section["ControlPlaneUrl"] = http.BaseAddress.AbsoluteUri;
                section["Credential"] = answer.GetProperty("token").GetString();
                if (connectionHandedOut)
                {
                    section["ServiceBusConnection"] = connection.GetString();
                }
            });
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            await error.WriteLineAsync($"enrol: the code was exchanged, but {configPath} could not be written ({exception.Message}); ask your admin for a new code.");
            return 1;
        }

        await output.WriteLineAsync(
            $"enrolled: agent {agentId} of group {agentGroup} (tenant {tenantId}), credential {answer.GetProperty("credentialId").GetString()}; written to {configPath}"
            + (connectionHandedOut ? string.Empty : " (no Service Bus connection was handed out: set RelayAgent:ServiceBusConnection from your admin)"));
        return 0;
    }

    private static string Describe(JsonElement problem) =>
        problem.ValueKind != JsonValueKind.Object ? problem.ToString()
        : problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
            ? string.Join("; ", errors.EnumerateObject().Select(e => $"{e.Name}: {string.Join(" ", e.Value.EnumerateArray().Select(m => m.GetString()))}"))
            : $"{(problem.TryGetProperty("title", out var title) ? title.GetString() : null)} {(problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null)}".Trim();
}
