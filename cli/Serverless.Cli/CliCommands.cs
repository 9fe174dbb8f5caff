using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Serverless.Cli;

/// <summary>The command tree of <c>hybrid</c>: each command calls the API and prints a table, or the API's JSON with <c>--output json</c>.</summary>
public static class CliCommands
{
    private const string ExitCodeHelp = """
        Tenant CLI of the hybrid control plane. Configure once with 'hybrid config set --url URL --key KEY' (or
        --token for a tenant API key or Entra ID token); HYBRID_URL, HYBRID_KEY, HYBRID_TOKEN and HYBRID_CONFIG override.
        Exit codes: 0 done; 1 the watched operation failed or was canceled; 2 bad command line or configuration;
        3 the API refused the request (4xx); 4 the API could not be reached, failed (5xx), or a watch timed out.
        """;

    private static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "table (default) or json (the API's own JSON, for scripts)",
        DefaultValueFactory = _ => "table",
        Recursive = true,
    };

    public static RootCommand Build()
    {
        Output.AcceptOnlyFromAmong("table", "json");
        var root = new RootCommand(ExitCodeHelp) { Output };
        root.Add(ConfigCommand());
        root.Add(ZonesCommand());
        root.Add(PoolsCommand());
        root.Add(OperationsCommand());
        return root;
    }

    private static Command ConfigCommand()
    {
        var url = new Option<string?>("--url") { Description = "the control plane's base URL (https://<app>.azurewebsites.net)" };
        var key = new Option<string?>("--key") { Description = "a Functions key, sent as x-functions-key" };
        var token = new Option<string?>("--token") { Description = "a tenant API key (tk1.…) or Entra ID access token, sent as a bearer token" };
        var set = new Command("set", "Keep the URL and credential in the configuration file (mode 0600).") { url, key, token };
        set.SetAction(result =>
        {
            var path = CliConfig.DefaultPath;
            var current = File.Exists(path) ? CliConfig.Load(path) : new CliConfig(null, null, null);
            var updated = new CliConfig(result.GetValue(url) ?? current.Url, result.GetValue(key) ?? current.Key, result.GetValue(token) ?? current.Token);
            if (updated.Url is null || !Uri.TryCreate(updated.Url, UriKind.Absolute, out _))
            {
                Console.Error.WriteLine("error: --url must be an absolute URL.");
                return ExitCodes.Usage;
            }

            updated.Save(path);
            Console.WriteLine($"saved to {path}");
            return ExitCodes.Ok;
        });
        var show = new Command("show", "Print the configuration in force, credentials masked.");
        show.SetAction(result =>
        {
            var config = CliConfig.Load(CliConfig.DefaultPath);
            Console.WriteLine($"url:   {config.Url ?? "(not set)"}");
            Console.WriteLine($"key:   {Mask(config.Key)}");
            Console.WriteLine($"token: {Mask(config.Token)}");
            return ExitCodes.Ok;
        });
        return new Command("config", "Where the API is and how to sign in.") { set, show };
    }

    private static Command ZonesCommand()
    {
        var list = new Command("list", "The tenant's zones, with their agent group's connectivity and last heartbeat.");
        list.SetAction((result, cancellation) => RunAsync(result, async api =>
        {
            var zones = await api.GetAsync("zones?pageSize=200", cancellation);
            var agents = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var zone in Items(zones))
            {
                var name = zone.GetProperty("name").GetString()!;
                try
                {
                    agents[name] = await api.GetAsync($"zones/{Uri.EscapeDataString(name)}/agents", cancellation);
                }
                catch (ApiException exception) when (exception.ExitCode == ExitCodes.Refused)
                {
                    // A zone whose agents never enrolled has no group yet.
                }
            }

            if (IsJson(result))
            {
                PrintJson(zones);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("zone", "kind", "site", "agents", "last heard");
            foreach (var zone in Items(zones))
            {
                var name = zone.GetProperty("name").GetString()!;
                var group = agents.GetValueOrDefault(name);
                table.AddRow(
                    Markup.Escape(name),
                    Text(zone, "kind"),
                    Text(zone, "site"),
                    group.ValueKind == JsonValueKind.Object ? $"{Text(group, "status")} ({group.GetProperty("agents").GetArrayLength()})" : "none",
                    group.ValueKind == JsonValueKind.Object ? Ago(group, "lastHeardAt") : "-");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return new Command("zones", "Provider and client zones.") { list };
    }

    private static Command PoolsCommand()
    {
        var list = new Command("list", "The tenant's pools.");
        list.SetAction((result, cancellation) => RunAsync(result, async api =>
        {
            var pools = await api.GetAsync("pools?pageSize=200", cancellation);
            if (IsJson(result))
            {
                PrintJson(pools);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("pool", "service", "members", "active", "metric");
            foreach (var pool in Items(pools))
            {
                var members = pool.GetProperty("members").EnumerateArray().ToList();
                table.AddRow(
                    Markup.Escape(Text(pool, "id")), Text(pool, "serviceKind"), members.Count.ToString(CultureInfo.InvariantCulture),
                    members.Count(m => Text(m, "state") == "active").ToString(CultureInfo.InvariantCulture),
                    Text(pool.GetProperty("policy"), "metric"));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));

        var id = new Argument<string>("pool") { Description = "the pool's id" };
        var minutes = new Option<int>("--minutes") { Description = "how far back the readings go", DefaultValueFactory = _ => 15 };
        var show = new Command("show", "A pool's members with their state, and a sparkline of each one's readings against the thresholds.") { id, minutes };
        show.SetAction((result, cancellation) => RunAsync(result, async api =>
        {
            var poolId = Uri.EscapeDataString(result.GetValue(id)!);
            var metrics = await api.GetAsync($"pools/{poolId}/metrics?minutes={result.GetValue(minutes)}", cancellation);
            var pool = await api.GetAsync($"pools/{poolId}", cancellation);
            if (IsJson(result))
            {
                PrintJson(JsonSerializer.SerializeToElement(new Dictionary<string, JsonElement> { ["pool"] = pool, ["metrics"] = metrics }));
                return ExitCodes.Ok;
            }

            var above = metrics.GetProperty("activateAbove").GetDouble();
            var below = metrics.GetProperty("deactivateBelow").GetDouble();
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture,
                $"[bold]{Markup.Escape(Text(pool, "id"))}[/] ({Text(pool, "serviceKind")}): {Markup.Escape(Text(metrics, "metric"))}, activate above {above}, deactivate below {below}");
            var readings = metrics.GetProperty("members").EnumerateArray().ToDictionary(m => Text(m, "id"), m => m.GetProperty("readings"), StringComparer.Ordinal);
            var table = new Table().AddColumns("member", "zone", "state", "latest", $"last {result.GetValue(minutes)} min");
            foreach (var member in pool.GetProperty("members").EnumerateArray())
            {
                var values = readings.TryGetValue(Text(member, "id"), out var points) ? points.EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).ToList() : [];
                table.AddRow(
                    Markup.Escape(Text(member, "id")), Markup.Escape(Text(member, "zone")), Text(member, "state"),
                    values.Count > 0 ? values[^1].ToString("0.##", CultureInfo.InvariantCulture) : "-",
                    values.Count > 0 ? Sparkline.Render(values, 40, above, below) : "no readings");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return new Command("pools", "Hybrid pools.") { list, show };
    }

    private static Command OperationsCommand()
    {
        var id = new Argument<string>("operation") { Description = "the operation's id (from a 202's operationId)" };
        var show = new Command("show", "An operation's status, progress and result.") { id };
        show.SetAction((result, cancellation) => RunAsync(result, async api =>
        {
            var operation = await api.GetAsync($"operations/{Uri.EscapeDataString(result.GetValue(id)!)}", cancellation);
            if (IsJson(result))
            {
                PrintJson(operation);
            }
            else
            {
                Console.WriteLine(OperationLine(operation));
            }

            return ExitCodes.Ok;
        }));

        var watchId = new Argument<string>("operation") { Description = "the operation's id" };
        var timeout = new Option<int>("--timeout") { Description = "seconds to wait before giving up (exit 4)", DefaultValueFactory = _ => 600 };
        var watch = new Command("watch", "Follow an operation until it ends: live progress on a terminal, a line per change otherwise.") { watchId, timeout };
        watch.SetAction((result, cancellation) => RunAsync(result, async api =>
        {
            var path = $"operations/{Uri.EscapeDataString(result.GetValue(watchId)!)}";
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            deadline.CancelAfter(TimeSpan.FromSeconds(result.GetValue(timeout)));
            JsonElement operation;
            try
            {
                operation = IsJson(result) || Console.IsOutputRedirected
                    ? await WatchLinesAsync(api, path, printLines: !IsJson(result), deadline.Token)
                    : await WatchLiveAsync(api, path, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested)
            {
                Console.Error.WriteLine($"error: the operation did not end within {result.GetValue(timeout)} s.");
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
        }));
        return new Command("operations", "Long-running operations.") { show, watch };
    }

    private static async Task<JsonElement> WatchLinesAsync(ApiClient api, string path, bool printLines, CancellationToken cancellation)
    {
        var last = string.Empty;
        while (true)
        {
            var operation = await api.GetAsync(path, cancellation);
            var line = OperationLine(operation);
            if (printLines && line != last && !IsFinished(operation))
            {
                Console.WriteLine(line);
            }

            last = line;
            if (IsFinished(operation))
            {
                return operation;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
        }
    }

    private static async Task<JsonElement> WatchLiveAsync(ApiClient api, string path, CancellationToken cancellation) =>
        await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync("waiting for the operation", async context =>
        {
            while (true)
            {
                var operation = await api.GetAsync(path, cancellation);
                if (IsFinished(operation))
                {
                    return operation;
                }

                context.Status(Markup.Escape(OperationLine(operation, withId: false)));
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
            }
        });

    /// <summary>Runs an API command: a refusal or failure prints one line on stderr and sets the exit code.</summary>
    private static async Task<int> RunAsync(ParseResult result, Func<ApiClient, Task<int>> body)
    {
        try
        {
            using var api = new ApiClient(CliConfig.Load(CliConfig.DefaultPath));
            if (Console.IsOutputRedirected)
            {
                AnsiConsole.Console.Profile.Width = 200;
            }

            return await body(api);
        }
        catch (ApiException exception)
        {
            Console.Error.WriteLine($"error: {exception.Message}");
            return exception.ExitCode;
        }
        catch (JsonException exception)
        {
            Console.Error.WriteLine($"error: the configuration file {CliConfig.DefaultPath} is not valid JSON: {exception.Message}");
            return ExitCodes.Usage;
        }
    }

    private static string OperationLine(JsonElement operation, bool withId = true)
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

        return line;
    }

    private static bool IsFinished(JsonElement operation) => Text(operation, "status") is "succeeded" or "failed" or "canceled";

    private static bool IsJson(ParseResult result) => result.GetValue(Output) == "json";

    private static void PrintJson(JsonElement element) =>
        Console.WriteLine(JsonSerializer.Serialize(element, CliOutputJsonContext.Default.JsonElement));

    private static IEnumerable<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray();

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : "-";

    private static string Ago(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at)
            ? $"{Math.Max(0, (DateTimeOffset.UtcNow - at).TotalSeconds):0} s ago"
            : "never";

    private static string Mask(string? secret) => secret is { Length: > 8 } ? $"{secret[..4]}…({secret.Length} characters)" : secret is null ? "(not set)" : "(set)";
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement))]
internal sealed partial class CliOutputJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
