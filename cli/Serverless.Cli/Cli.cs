using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Serverless.Cli;

/// <summary>What every command shares: the output option, calling the API with one-line errors, printing, and waiting for operations.</summary>
internal static class Cli
{
    public static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "table (default) or json (the API's own JSON, for scripts)",
        DefaultValueFactory = _ => "table",
        Recursive = true,
    };

    public static Option<bool> WaitOption() => new("--wait") { Description = "follow the operation to its end (live on a terminal); exit 0 succeeded, 1 failed" };

    public static Option<int> TimeoutOption() => new("--timeout") { Description = "seconds to wait before giving up (exit 4)", DefaultValueFactory = _ => 600 };

    /// <summary>Runs an API command: a refusal or failure prints one line on stderr and sets the exit code.</summary>
    public static async Task<int> RunAsync(ParseResult result, Func<ApiClient, Task<int>> body)
    {
        try
        {
            using var api = new ApiClient(CliConfig.Load(CliConfig.DefaultPath));
            if (Console.IsOutputRedirected)
            {
                AnsiConsole.Console.Profile.Width = 400;
            }

            return await body(api);
        }
        catch (ApiException exception)
        {
            Console.Error.WriteLine($"error: {exception.Message}");
            return exception.ExitCode;
        }
        catch (CliUsageException exception)
        {
            Console.Error.WriteLine($"error: {exception.Message}");
            return ExitCodes.Usage;
        }
        catch (JsonException exception)
        {
            Console.Error.WriteLine($"error: the configuration file {CliConfig.DefaultPath} is not valid JSON: {exception.Message}");
            return ExitCodes.Usage;
        }
    }

    /// <summary>
    /// After a 202: prints the operation's id, or with <paramref name="wait"/> follows it to its end (a spinner on a
    /// terminal, a line per change otherwise) and answers 0 when it succeeded, 1 when not, 4 past the timeout.
    /// </summary>
    public static async Task<int> AcceptedAsync(ParseResult result, ApiClient api, JsonElement accepted, bool wait, int timeoutSeconds, CancellationToken cancellation)
    {
        var operationId = Text(accepted, "operationId");
        if (!wait)
        {
            if (IsJson(result))
            {
                PrintJson(accepted);
            }
            else
            {
                Console.WriteLine($"accepted: operation {operationId} (follow it with 'hybrid operations watch {operationId}')");
            }

            return ExitCodes.Ok;
        }

        return await WatchAsync(result, api, operationId, timeoutSeconds, cancellation);
    }

    public static async Task<int> WatchAsync(ParseResult result, ApiClient api, string operationId, int timeoutSeconds, CancellationToken cancellation)
    {
        var path = $"operations/{Uri.EscapeDataString(operationId)}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        JsonElement operation;
        try
        {
            operation = IsJson(result) || Console.IsOutputRedirected
                ? await PollAsync(() => api.GetAsync(path, deadline.Token), OperationLine, IsFinished, printLines: !IsJson(result), deadline.Token)
                : await LiveAsync(() => api.GetAsync(path, deadline.Token), o => OperationLine(o, withId: false), IsFinished, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine($"error: the operation did not end within {timeoutSeconds} s.");
            return ExitCodes.Unavailable;
        }

        if (IsJson(result))
        {
            PrintJson(operation);
        }
        else
        {
            Console.WriteLine(OperationLine(operation));
        }

        return Text(operation, "status") == "succeeded" ? ExitCodes.Ok : ExitCodes.OperationFailed;
    }

    /// <summary>Reads until <paramref name="finished"/>, printing a line each time the line changes (not the last).</summary>
    public static async Task<JsonElement> PollAsync(
        Func<Task<JsonElement>> read, Func<JsonElement, string> line, Func<JsonElement, bool> finished, bool printLines, CancellationToken cancellation)
    {
        var last = string.Empty;
        while (true)
        {
            var current = await read();
            var text = line(current);
            if (finished(current))
            {
                return current;
            }

            if (printLines && text != last)
            {
                Console.WriteLine(text);
            }

            last = text;
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
        }
    }

    /// <summary>Reads until <paramref name="finished"/>, showing the latest line beside a spinner.</summary>
    public static async Task<JsonElement> LiveAsync(Func<Task<JsonElement>> read, Func<JsonElement, string> line, Func<JsonElement, bool> finished, CancellationToken cancellation) =>
        await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync("waiting for the operation", async context =>
        {
            while (true)
            {
                var current = await read();
                if (finished(current))
                {
                    return current;
                }

                context.Status(Markup.Escape(line(current)));
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
            }
        });

    public static string OperationLine(JsonElement operation) => OperationLine(operation, withId: true);

    public static string OperationLine(JsonElement operation, bool withId)
    {
        var line = $"{(withId ? Text(operation, "id") + " " : string.Empty)}{Text(operation, "name")}: {Text(operation, "status")}";
        if (operation.TryGetProperty("progress", out var progress) && progress.ValueKind == JsonValueKind.Object)
        {
            line += string.Concat(progress.EnumerateObject()
                .Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                .Select(p => $", {p.Name} {p.Value}"));
        }

        if (operation.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            line += $": {Text(error, "message")}";
        }

        if (operation.TryGetProperty("stuck", out var stuck) && stuck.ValueKind == JsonValueKind.Object)
        {
            line += $" (stuck: {Text(stuck, "reason")})";
        }

        return line;
    }

    public static bool IsFinished(JsonElement operation) => Text(operation, "status") is "succeeded" or "failed" or "canceled";

    public static bool IsJson(ParseResult result) => result.GetValue(Output) == "json";

    public static void PrintJson(JsonElement element) =>
        Console.WriteLine(JsonSerializer.Serialize(element, CliOutputJsonContext.Default.JsonElement));

    public static IEnumerable<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray();

    public static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : "-";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Ago(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at)
            ? $"{Math.Max(0, (DateTimeOffset.UtcNow - at).TotalSeconds):0} s ago"
            : "never";

    public static string Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at)
            ? at.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)
            : "-";

    public static string Escape(JsonElement element, string name) => Markup.Escape(Text(element, name));

    /// <summary>Prints the JSON, or the table the caller builds from it.</summary>
    public static int Print(ParseResult result, JsonElement answer, Func<JsonElement, Table> table)
    {
        if (IsJson(result))
        {
            PrintJson(answer);
        }
        else
        {
            AnsiConsole.Write(table(answer));
        }

        return ExitCodes.Ok;
    }
}

/// <summary>A command line the API would not understand (a file that is not there, a parameter without '=').</summary>
internal sealed class CliUsageException(string message) : Exception(message);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class CliOutputJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
