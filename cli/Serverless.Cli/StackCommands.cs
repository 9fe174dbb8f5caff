using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Serverless.Cli;

/// <summary>
/// <c>hybrid stacks</c>: plan a template (printed as a coloured diff), apply it with live progress per tier, retry,
/// roll back, continue a failed rollback, delete; and read stacks, their items and their journal.
/// </summary>
internal static class StackCommands
{
    private static readonly string[] Busy = ["rollingOut", "rollingBack", "deleting"];

    public static Command Build()
    {
        var list = new Command("list", "The tenant's stacks and their status.");
        list.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
            Cli.Print(result, await api.GetAsync("stacks?pageSize=200", cancellation), page =>
            {
                var table = new Table().AddColumns("stack", "status", "version", "reason", "updated");
                foreach (var s in Cli.Items(page))
                {
                    table.AddRow(Cli.Escape(s, "name"), Status(Cli.Text(s, "status")), Cli.Escape(s, "version"), Cli.Escape(s, "reason"), Cli.Time(s, "updatedAt"));
                }

                return table;
            })));

        var showName = StackName();
        var show = new Command("show", "A stack's status and every item's state, zone and host.") { showName };
        show.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
            Cli.Print(result, await api.GetAsync($"stacks/{Uri.EscapeDataString(result.GetValue(showName)!)}", cancellation), Items)));

        var eventsName = StackName();
        var events = new Command("events", "A stack's journal, oldest first: before each step what it will do, after it the outcome.") { eventsName };
        events.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
            Cli.Print(result, await api.GetAsync($"stacks/{Uri.EscapeDataString(result.GetValue(eventsName)!)}/events?pageSize=200", cancellation), page =>
            {
                var table = new Table().AddColumns("run", "at", "item", "phase", "message", "outcome");
                foreach (var e in Cli.Items(page))
                {
                    table.AddRow(Cli.Escape(e, "run"), Cli.Time(e, "at"), Cli.Escape(e, "item"), Cli.Escape(e, "phase"), Cli.Escape(e, "message"), Cli.Escape(e, "outcome"));
                }

                return table;
            })));

        return new Command("stacks", "Multi-tier stacks across provider and client zones.")
        {
            list, show, events, Plan(), Apply(),
            Run("retry", "Run again only the steps that failed or never ran.", "retry", "succeeded"),
            Run("rollback", "Undo what the runs since the last settled state did, in reverse order.", "rollback", "rolledBack"),
            ContinueRollback(), Delete(),
        };
    }

    private static Argument<string> StackName() => new("stack") { Description = "the stack's name" };

    private static (Option<FileInfo> File, Option<string[]> Parameters) TemplateOptions() => (
        new Option<FileInfo>("--file", "-f") { Description = "the template, JSON or YAML (.yaml, .yml)" },
        new Option<string[]>("--param", "-p") { Description = "a parameter as name=value (value as JSON when it parses: 3, true; else text); repeat", AllowMultipleArgumentsPerToken = true });

    private static Command Plan()
    {
        var name = StackName();
        var (file, parameters) = TemplateOptions();
        file.Required = true;
        var plan = new Command("plan", "Plan a template against the stack: every item's action, with zone and host, printed as a diff.") { name, file, parameters };
        plan.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var planned = await PlanAsync(api, result.GetValue(name)!, result.GetValue(file)!, result.GetValue(parameters) ?? [], cancellation);
            if (Cli.IsJson(result))
            {
                Cli.PrintJson(planned);
            }
            else
            {
                PrintDiff(planned);
                AnsiConsole.MarkupLine($"apply it with: hybrid stacks apply {Markup.Escape(result.GetValue(name)!)} --plan {Cli.Escape(planned, "planId")}");
            }

            return ExitCodes.Ok;
        }));
        return plan;
    }

    private static Command Apply()
    {
        var name = StackName();
        var (file, parameters) = TemplateOptions();
        var planId = new Option<string?>("--plan") { Description = "apply this plan (from 'stacks plan') instead of planning --file now" };
        var wait = Cli.WaitOption();
        var timeout = Cli.TimeoutOption();
        var apply = new Command("apply", "Apply a plan (or plan --file and apply it); with --wait, live progress per tier. Exit 0 when the stack ends succeeded.")
        {
            name, file, parameters, planId, wait, timeout,
        };
        apply.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var stack = result.GetValue(name)!;
            string plan;
            if (result.GetValue(planId) is { } given)
            {
                plan = given;
            }
            else if (result.GetValue(file) is { } template)
            {
                var planned = await PlanAsync(api, stack, template, result.GetValue(parameters) ?? [], cancellation);
                if (!Cli.IsJson(result))
                {
                    PrintDiff(planned);
                }

                plan = Cli.Text(planned, "planId");
            }
            else
            {
                throw new CliUsageException("give --plan ID or --file TEMPLATE.");
            }

            var accepted = await api.PostAsync($"stacks/{Uri.EscapeDataString(stack)}/plans/{Uri.EscapeDataString(plan)}/apply", null, cancellation);
            return await FollowAsync(result, api, stack, accepted, "succeeded", result.GetValue(wait), result.GetValue(timeout), cancellation);
        }));
        return apply;
    }

    private static Command Run(string verb, string description, string route, string expected)
    {
        var name = StackName();
        var wait = Cli.WaitOption();
        var timeout = Cli.TimeoutOption();
        var command = new Command(verb, $"{description} With --wait, live progress per tier; exit 0 when the stack ends {expected}.") { name, wait, timeout };
        command.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var stack = result.GetValue(name)!;
            var accepted = await api.PostAsync($"stacks/{Uri.EscapeDataString(stack)}/{route}", null, cancellation);
            return await FollowAsync(result, api, stack, accepted, expected, result.GetValue(wait), result.GetValue(timeout), cancellation);
        }));
        return command;
    }

    private static Command ContinueRollback()
    {
        var name = StackName();
        var skip = new Option<string[]>("--skip") { Description = "an item whose undo is given up (it stays, listed as retained); repeat", AllowMultipleArgumentsPerToken = true };
        var wait = Cli.WaitOption();
        var timeout = Cli.TimeoutOption();
        var command = new Command("continue-rollback", "After a failed rollback: try the failed undos again, keeping the --skip items. Exit 0 when the stack ends rolledBack.")
        {
            name, skip, wait, timeout,
        };
        command.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var stack = result.GetValue(name)!;
            var body = new JsonObject { ["skip"] = new JsonArray([.. (result.GetValue(skip) ?? []).Select(s => JsonValue.Create(s))]) };
            var accepted = await api.PostAsync($"stacks/{Uri.EscapeDataString(stack)}/continue-rollback", body.ToJsonString(), cancellation);
            return await FollowAsync(result, api, stack, accepted, "rolledBack", result.GetValue(wait), result.GetValue(timeout), cancellation);
        }));
        return command;
    }

    private static Command Delete()
    {
        var name = StackName();
        var wait = Cli.WaitOption();
        var timeout = Cli.TimeoutOption();
        var command = new Command("delete", "Undo everything the stack owns, in reverse order. Exit 0 when the stack ends deleted.") { name, wait, timeout };
        command.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var stack = result.GetValue(name)!;
            var accepted = await api.DeleteAsync($"stacks/{Uri.EscapeDataString(stack)}", cancellation);
            return await FollowAsync(result, api, stack, accepted, "deleted", result.GetValue(wait), result.GetValue(timeout), cancellation);
        }));
        return command;
    }

    private static async Task<JsonElement> PlanAsync(ApiClient api, string stack, FileInfo file, string[] parameters, CancellationToken cancellation)
    {
        var text = Files.Read(file);
        var values = new JsonObject();
        foreach (var parameter in parameters)
        {
            var split = parameter.Split('=', 2);
            if (split.Length != 2 || split[0].Length == 0)
            {
                throw new CliUsageException($"--param '{parameter}' is not name=value.");
            }

            values[split[0]] = ParameterValue(split[1]);
        }

        var path = $"stacks/{Uri.EscapeDataString(stack)}/plans";
        if (Files.IsYaml(file))
        {
            // The file is the template: indented under "template:", it is the request's YAML, read by the API's rules.
            var indented = string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(line => "  " + line));
            return await api.PostAsync(path, $"template:\n{indented}\nparameters: {values.ToJsonString()}\n", "application/yaml", cancellation);
        }

        JsonNode? template;
        try
        {
            template = JsonNode.Parse(text);
        }
        catch (JsonException exception)
        {
            throw new CliUsageException($"{file.FullName} is not JSON (name it .yaml for YAML): {exception.Message}");
        }

        return await api.PostAsync(path, new JsonObject { ["template"] = template, ["parameters"] = values }.ToJsonString(), cancellation);
    }

    private static JsonNode? ParameterValue(string raw)
    {
        try
        {
            return JsonNode.Parse(raw) is JsonValue value ? value : JsonValue.Create(raw);
        }
        catch (JsonException)
        {
            return JsonValue.Create(raw);
        }
    }

    /// <summary>One line per item: + create, ~ update, ± replace, - delete, = unchanged, each in its colour.</summary>
    public static void PrintDiff(JsonElement plan)
    {
        foreach (var action in plan.GetProperty("actions").EnumerateArray())
        {
            var (sign, colour) = Cli.Text(action, "action") switch
            {
                "create" => ("+", "green"),
                "update" => ("~", "yellow"),
                "replace" => ("±", "magenta"),
                "delete" => ("-", "red"),
                _ => ("=", "grey"),
            };
            var where = Cli.Text(action, "zone") == "-" ? string.Empty : $" in {Cli.Text(action, "zone")} on {Cli.Text(action, "host")}";
            AnsiConsole.MarkupLine($"[{colour}]{sign} {Cli.Escape(action, "action"),-8} {Cli.Escape(action, "item")}{Markup.Escape(where)}: {Cli.Escape(action, "detail")}[/]");
        }

        var summary = plan.GetProperty("summary");
        AnsiConsole.MarkupLine(
            $"plan {Cli.Escape(plan, "planId")}: {Cli.Text(summary, "create")} to create, {Cli.Text(summary, "update")} to update, " +
            $"{Cli.Text(summary, "replace")} to replace, {Cli.Text(summary, "delete")} to delete, {Cli.Text(summary, "noOp")} unchanged");
    }

    /// <summary>
    /// Follows a run: its operation to the end, showing per tier how many items are in which state (a live table on a
    /// terminal, a line per change otherwise), then the stack; exit 0 when the stack ended <paramref name="expected"/>.
    /// </summary>
    private static async Task<int> FollowAsync(
        ParseResult result, ApiClient api, string stack, JsonElement accepted, string expected, bool wait, int timeoutSeconds, CancellationToken cancellation)
    {
        if (!wait)
        {
            return await Cli.AcceptedAsync(result, api, accepted, wait: false, 0, cancellation);
        }

        var operationPath = $"operations/{Uri.EscapeDataString(Cli.Text(accepted, "operationId"))}";
        var stackPath = $"stacks/{Uri.EscapeDataString(stack)}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        async Task<JsonElement> ReadAsync()
        {
            var operation = await api.GetAsync(operationPath, deadline.Token);
            var current = await api.GetAsync(stackPath, deadline.Token);
            return JsonSerializer.SerializeToElement(new Dictionary<string, JsonElement> { ["operation"] = operation, ["stack"] = current }, CliOutputJsonContext.Default.DictionaryStringJsonElement);
        }

        static bool Finished(JsonElement both) => Cli.IsFinished(both.GetProperty("operation")) && !Busy.Contains(Cli.Text(both.GetProperty("stack"), "status"));
        JsonElement end;
        try
        {
            if (Cli.IsJson(result) || Console.IsOutputRedirected)
            {
                end = await Cli.PollAsync(ReadAsync, both => ProgressLine(both.GetProperty("stack")), Finished, printLines: !Cli.IsJson(result), deadline.Token);
            }
            else
            {
                end = await LiveAsync(ReadAsync, Finished, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine($"error: the stack's run did not end within {timeoutSeconds} s.");
            return ExitCodes.Unavailable;
        }

        var final = end.GetProperty("stack");
        if (Cli.IsJson(result))
        {
            Cli.PrintJson(final);
        }
        else
        {
            AnsiConsole.Write(Items(final));
            AnsiConsole.MarkupLine($"stack {Markup.Escape(stack)}: {Status(Cli.Text(final, "status"))}{(Cli.Text(final, "reason") is var reason and not "-" ? $": {Markup.Escape(reason)}" : string.Empty)}");
        }

        return Cli.Text(final, "status") == expected ? ExitCodes.Ok : ExitCodes.OperationFailed;
    }

    private static async Task<JsonElement> LiveAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> finished, CancellationToken cancellation)
    {
        var table = new Table().AddColumns("tier", "items", "states");
        JsonElement last = default;
        await AnsiConsole.Live(table).StartAsync(async context =>
        {
            while (true)
            {
                last = await read();
                var stack = last.GetProperty("stack");
                table.Rows.Clear();
                table.Title = new TableTitle($"{Cli.Text(stack, "name")}: {Cli.Text(stack, "status")}");
                foreach (var (tier, items) in Tiers(stack))
                {
                    table.AddRow(Markup.Escape(tier), Cli.Number(items.Count), Markup.Escape(StateCounts(items)));
                }

                context.Refresh();
                if (finished(last))
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
            }
        });
        return last;
    }

    private static string ProgressLine(JsonElement stack) =>
        $"{Cli.Text(stack, "name")}: {Cli.Text(stack, "status")}; " + string.Join("; ", Tiers(stack).Select(t => $"{t.Tier}: {StateCounts(t.Items)}"));

    /// <summary>Items grouped by what made them: a tier's instances, an appliance step, a pool membership.</summary>
    private static IEnumerable<(string Tier, List<JsonElement> Items)> Tiers(JsonElement stack) =>
        stack.GetProperty("items").EnumerateArray()
            .GroupBy(i => $"{Cli.Text(i, "kind")} {Cli.Text(i, "component")}", StringComparer.Ordinal)
            .Select(g => (g.Key, g.ToList()));

    private static string StateCounts(List<JsonElement> items) =>
        string.Join(", ", items.GroupBy(i => Cli.Text(i, "state"), StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));

    private static Table Items(JsonElement stack)
    {
        var table = new Table().AddColumns("item", "state", "run", "zone", "host", "instance", "reason");
        table.Title = new TableTitle($"{Cli.Text(stack, "name")}: {Cli.Text(stack, "status")} (version {Cli.Text(stack, "version")})");
        foreach (var i in stack.GetProperty("items").EnumerateArray())
        {
            table.AddRow(Cli.Escape(i, "key"), Cli.Escape(i, "state"), Cli.Escape(i, "run"), Cli.Escape(i, "zone"), Cli.Escape(i, "host"), Cli.Escape(i, "instance"), Cli.Escape(i, "reason"));
        }

        return table;
    }

    private static string Status(string status) => status switch
    {
        "succeeded" or "rolledBack" or "deleted" => $"[green]{status}[/]",
        "failed" or "rollbackFailed" => $"[red]{status}[/]",
        _ => Markup.Escape(status),
    };
}
