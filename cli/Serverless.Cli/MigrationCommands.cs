using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Serverless.Cli;

/// <summary><c>hybrid migrations</c>: move a running instance to another zone, with a progress bar of phases and bytes.</summary>
internal static class MigrationCommands
{
    private static readonly string[] Phases = ["preflight", "quiesce", "save", "upload", "restore", "verify", "commit", "cleanUp"];

    public static Command Build()
    {
        var instance = new Option<string?>("--instance") { Description = "only this instance's migrations" };
        var list = new Command("list", "Migrations, newest first.") { instance };
        list.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var filter = result.GetValue(instance) is { } name ? $"?instance={Uri.EscapeDataString(name)}" : string.Empty;
            return Cli.Print(result, await api.GetAsync($"migrations{filter}", cancellation), page =>
            {
                var table = new Table().AddColumns("migration", "instance", "from", "to", "phase", "status", "moved");
                foreach (var m in Cli.Items(page))
                {
                    table.AddRow(
                        Cli.Escape(m, "id"), Cli.Escape(m, "instance"), Endpoint(m.GetProperty("source")), Endpoint(m.GetProperty("target")),
                        Cli.Escape(m, "phase"), Cli.Escape(m, "status"), Bytes(m.GetProperty("bytes").GetProperty("moved").GetInt64()));
                }

                return table;
            });
        }));

        var id = new Argument<string>("migration") { Description = "the migration's id" };
        var show = new Command("show", "A migration: phase, status, reason, bytes, and the time of each phase.") { id };
        show.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
            Cli.Print(result, await api.GetAsync($"migrations/{Uri.EscapeDataString(result.GetValue(id)!)}", cancellation), Describe)));

        return new Command("migrations", "Quiesce-migrate: move running instances between zones.") { list, show, Start() };
    }

    private static Command Start()
    {
        var instance = new Argument<string>("instance") { Description = "the instance to move" };
        var zone = new Option<string?>("--target-zone") { Description = "the zone to move it to (placement picks a host registered for migration)" };
        var host = new Option<string?>("--target-host") { Description = "instead: the host to move it to" };
        var retain = new Option<int?>("--retain-hours") { Description = "keep the state blobs this long after the commit" };
        var port = new Option<int?>("--health-port") { Description = "after the restore, a TCP port on the instance that must accept" };
        var test = new Option<bool>("--test") { Description = "a test migration: a copy with its network detached is restored at the target, run and removed while the instance runs on at its source; exit 0 when a cutover would succeed" };
        var wait = Cli.WaitOption();
        var timeout = Cli.TimeoutOption();
        var start = new Command("start", "Migrate a running instance; with --wait, a progress bar of its phases and bytes. Exit 0 when it succeeded, 1 when it rolled back or failed.")
        {
            instance, zone, host, retain, port, test, wait, timeout,
        };
        start.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var body = new JsonObject();
            if (result.GetValue(zone) is { } targetZone)
            {
                body["targetZone"] = targetZone;
            }

            if (result.GetValue(host) is { } targetHost)
            {
                body["targetHost"] = targetHost;
            }

            if (result.GetValue(retain) is { } hours)
            {
                body["retainHours"] = hours;
            }

            if (result.GetValue(test))
            {
                body["mode"] = "test";
            }

            if (result.GetValue(port) is { } healthPort)
            {
                body["healthCheck"] = new JsonObject { ["port"] = healthPort };
            }

            var accepted = await api.PostAsync($"instances/{Uri.EscapeDataString(result.GetValue(instance)!)}/migrations", body.ToJsonString(), cancellation);
            var migration = Cli.Text(accepted, "migrationId");
            if (!result.GetValue(wait))
            {
                if (Cli.IsJson(result))
                {
                    Cli.PrintJson(accepted);
                }
                else
                {
                    Console.WriteLine($"accepted: migration {migration} (follow it with 'hybrid migrations show {migration}')");
                }

                return ExitCodes.Ok;
            }

            return await FollowAsync(result, api, migration, result.GetValue(timeout), cancellation);
        }));
        return start;
    }

    private static async Task<int> FollowAsync(ParseResult result, ApiClient api, string migration, int timeoutSeconds, CancellationToken cancellation)
    {
        var path = $"migrations/{Uri.EscapeDataString(migration)}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        static bool Finished(JsonElement m) => Cli.Text(m, "status") != "running";
        JsonElement end;
        try
        {
            end = Cli.IsJson(result) || Console.IsOutputRedirected
                ? await Cli.PollAsync(() => api.GetAsync(path, deadline.Token), ProgressLine, Finished, printLines: !Cli.IsJson(result), deadline.Token)
                : await ProgressBarAsync(() => api.GetAsync(path, deadline.Token), Finished, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine($"error: the migration did not end within {timeoutSeconds} s.");
            return ExitCodes.Unavailable;
        }

        if (Cli.IsJson(result))
        {
            Cli.PrintJson(end);
        }
        else
        {
            AnsiConsole.Write(Describe(end));
        }

        return Cli.Text(end, "status") == "succeeded" ? ExitCodes.Ok : ExitCodes.OperationFailed;
    }

    /// <summary>A bar that fills phase by phase, its label the phase and the bytes moved so far.</summary>
    private static async Task<JsonElement> ProgressBarAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> finished, CancellationToken cancellation)
    {
        JsonElement last = default;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("preflight", maxValue: Phases.Length);
                while (true)
                {
                    last = await read();
                    var phase = Cli.Text(last, "phase");
                    task.Description = Markup.Escape(ProgressLine(last));
                    task.Value = Math.Max(0, Array.IndexOf(Phases, phase)) + (phase == "done" ? Phases.Length : 0);
                    if (finished(last))
                    {
                        task.Value = Cli.Text(last, "status") == "succeeded" ? Phases.Length : task.Value;
                        task.StopTask();
                        return;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
                }
            });
        return last;
    }

    private static string ProgressLine(JsonElement m)
    {
        var bytes = m.GetProperty("bytes");
        var total = 2 * (Long(bytes, "state") + Long(bytes, "disk"));
        var moved = Bytes(Long(bytes, "moved"));
        return $"{Cli.Text(m, "instance")}: {Cli.Text(m, "phase")} ({Cli.Text(m, "status")}), {moved}{(total > 0 ? $" of {Bytes(total)}" : string.Empty)} moved";
    }

    private static Table Describe(JsonElement m)
    {
        var table = new Table().AddColumns("phase", "started", "ended", "seconds");
        var verdict = m.TryGetProperty("cutoverWouldSucceed", out var would) && would.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? would.GetBoolean() ? " (test: a cutover would succeed)" : " (test: a cutover would fail)"
            : string.Empty;
        table.Title = new TableTitle(Markup.Escape(ProgressLine(m) + verdict + (Cli.Text(m, "reason") is var reason and not "-" ? $": {reason}" : string.Empty)));
        foreach (var phase in m.GetProperty("phases").EnumerateArray())
        {
            table.AddRow(
                Cli.Escape(phase, "phase"), Cli.Time(phase, "startedAt"), Cli.Time(phase, "endedAt"),
                phase.TryGetProperty("seconds", out var seconds) && seconds.ValueKind == JsonValueKind.Number ? seconds.GetDouble().ToString("0.00", CultureInfo.InvariantCulture) : "-");
        }

        foreach (var refusal in m.GetProperty("refusals").EnumerateArray())
        {
            table.AddRow("[red]refused[/]", Markup.Escape(refusal.GetString() ?? string.Empty), string.Empty, string.Empty);
        }

        return table;
    }

    private static string Endpoint(JsonElement endpoint) => Markup.Escape($"{Cli.Text(endpoint, "zone")} / {Cli.Text(endpoint, "host")}");

    private static long Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static string Bytes(long value) => value switch
    {
        < 1024 => $"{value} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{value / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{value / 1048576.0:0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value / 1073741824.0:0.00} GiB"),
    };
}
