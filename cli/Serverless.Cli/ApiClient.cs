using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Serverless.Cli;

/// <summary>A refusal or failure of the API, as one line: the status, the problem's title and detail, each field error.</summary>
public sealed class ApiException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Calls the control plane's HTTP API with the configured credential and reads its JSON answers.</summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(CliConfig config)
    {
        if (string.IsNullOrWhiteSpace(config.Url) || !Uri.TryCreate(config.Url.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress))
        {
            throw new ApiException(ExitCodes.Usage, "no API URL: run 'hybrid config set --url https://<app>.azurewebsites.net' or set HYBRID_URL.");
        }

        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (config.Key is { Length: > 0 } key)
        {
            _http.DefaultRequestHeaders.Add("x-functions-key", key);
        }

        if (config.Token is { Length: > 0 } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonElement> PostAsync(string path, string? json, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, json, cancellationToken);

    /// <summary>Posts a body of the given media type (a stack template as <c>application/yaml</c>).</summary>
    public Task<JsonElement> PostAsync(string path, string body, string mediaType, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken, mediaType);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? content, CancellationToken cancellationToken, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri($"api/v1/{path}", UriKind.Relative));
        if (content is not null)
        {
            request.Content = new StringContent(content, Encoding.UTF8, mediaType);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ApiException(ExitCodes.Unavailable, $"{_http.BaseAddress} did not answer: {exception.Message}");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return body.Length == 0 ? default : Parse(body) ?? throw new ApiException(ExitCodes.Unavailable, $"{method} {path}: the answer is not JSON.");
            }

            throw new ApiException(
                (int)response.StatusCode >= 500 ? ExitCodes.Unavailable : ExitCodes.Refused,
                ProblemLine((int)response.StatusCode, response.StatusCode, body));
        }
    }

    /// <summary>A problem+json answer as one line: <c>404 Not Found: pool 'x' was not found</c>, field errors after it.</summary>
    public static string ProblemLine(int status, HttpStatusCode code, string body)
    {
        var line = new StringBuilder($"{status} {ReasonOf(code)}");
        if (Parse(body) is { ValueKind: JsonValueKind.Object } problem)
        {
            if (Text(problem, "title") is { } title && !title.Equals(ReasonOf(code), StringComparison.OrdinalIgnoreCase))
            {
                line.Append(": ").Append(title);
            }

            if (Text(problem, "detail") is { } detail)
            {
                line.Append(": ").Append(detail);
            }

            if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    var messages = field.Value.ValueKind == JsonValueKind.Array
                        ? string.Join(" ", field.Value.EnumerateArray().Select(m => m.GetString()))
                        : field.Value.ToString();
                    line.Append("; ").Append(field.Name).Append(": ").Append(messages);
                }
            }
        }

        return line.ToString();
    }

    private static string ReasonOf(HttpStatusCode code) => System.Text.RegularExpressions.Regex.Replace(code.ToString(), "(?<=[a-z])(?=[A-Z])", " ");

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static JsonElement? Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
