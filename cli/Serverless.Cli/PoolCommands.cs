using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Serverless.Cli;

/// <summary><c>hybrid pools</c>: list, show with a sparkline of each member's readings, create from a file, events.</summary>
internal static class PoolCommands
{
    public static Command Build()
    {
        var list = new Command("list", "The tenant's pools.");
        list.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var pools = await api.GetAsync("pools?pageSize=200", cancellation);
            if (Cli.IsJson(result))
            {
                Cli.PrintJson(pools);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("pool", "service", "members", "active", "metric");
            foreach (var pool in Cli.Items(pools))
            {
                var members = pool.GetProperty("members").EnumerateArray().ToList();
                table.AddRow(
                    Markup.Escape(Cli.Text(pool, "id")), Cli.Text(pool, "serviceKind"), members.Count.ToString(CultureInfo.InvariantCulture),
                    members.Count(m => Cli.Text(m, "state") == "active").ToString(CultureInfo.InvariantCulture),
                    Cli.Text(pool.GetProperty("policy"), "metric"));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));

        var id = new Argument<string>("pool") { Description = "the pool's id" };
        var minutes = new Option<int>("--minutes") { Description = "how far back the readings go", DefaultValueFactory = _ => 15 };
        var show = new Command("show", "A pool's members with their state, and a sparkline of each one's readings against the thresholds.") { id, minutes };
        show.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var poolId = Uri.EscapeDataString(result.GetValue(id)!);
            var metrics = await api.GetAsync($"pools/{poolId}/metrics?minutes={result.GetValue(minutes)}", cancellation);
            var pool = await api.GetAsync($"pools/{poolId}", cancellation);
            if (Cli.IsJson(result))
            {
                Cli.PrintJson(JsonSerializer.SerializeToElement(new Dictionary<string, JsonElement> { ["pool"] = pool, ["metrics"] = metrics }));
                return ExitCodes.Ok;
            }

            var above = metrics.GetProperty("activateAbove").GetDouble();
            var below = metrics.GetProperty("deactivateBelow").GetDouble();
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture,
                $"[bold]{Markup.Escape(Cli.Text(pool, "id"))}[/] ({Cli.Text(pool, "serviceKind")}): {Markup.Escape(Cli.Text(metrics, "metric"))}, activate above {above}, deactivate below {below}");
            var readings = metrics.GetProperty("members").EnumerateArray().ToDictionary(m => Cli.Text(m, "id"), m => m.GetProperty("readings"), StringComparer.Ordinal);
            var table = new Table().AddColumns("member", "zone", "state", "latest", $"last {result.GetValue(minutes)} min");
            foreach (var member in pool.GetProperty("members").EnumerateArray())
            {
                var values = readings.TryGetValue(Cli.Text(member, "id"), out var points) ? points.EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).ToList() : [];
                table.AddRow(
                    Markup.Escape(Cli.Text(member, "id")), Markup.Escape(Cli.Text(member, "zone")), Cli.Text(member, "state"),
                    values.Count > 0 ? values[^1].ToString("0.##", CultureInfo.InvariantCulture) : "-",
                    values.Count > 0 ? Sparkline.Render(values, 40, above, below) : "no readings");
            }

            AnsiConsole.Write(table);
            if (pool.TryGetProperty("schedule", out var schedule))
            {
                foreach (var window in schedule.EnumerateArray())
                {
                    var next = !window.TryGetProperty("startsAt", out var startsAt) ? "fires no more"
                        : window.GetProperty("inForce").GetBoolean() ? $"in force until {Cli.Text(window, "endsAt")}"
                        : $"next from {startsAt.GetString()} to {Cli.Text(window, "endsAt")}";
                    AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, $"window [bold]{Markup.Escape(Cli.Text(window, "name"))}[/]: {Markup.Escape(next)}");
                }
            }

            if (pool.TryGetProperty("spend", out var spend))
            {
                var held = spend.GetProperty("heldByBudget").GetBoolean() ? "; [yellow]holding back activations for the budget[/]" : string.Empty;
                AnsiConsole.MarkupLine(CultureInfo.InvariantCulture,
                    $"spend this month {spend.GetProperty("spentThisMonth").GetDouble():0.##}, running {spend.GetProperty("ratePerHour").GetDouble():0.##}/h, month at this rate {spend.GetProperty("projectedForMonth").GetDouble():0.##}{held}");
            }

            return ExitCodes.Ok;
        }));
        var file = new Option<FileInfo>("--file", "-f") { Description = "the pool as the API takes it (JSON: name, serviceKind, members, policy)", Required = true };
        var create = new Command("create", "Create a pool from a JSON file.") { file };
        create.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var created = await api.PostAsync("pools", Files.Read(result.GetValue(file)!), cancellation);
            if (Cli.IsJson(result))
            {
                Cli.PrintJson(created);
            }
            else
            {
                Console.WriteLine($"created pool {Cli.Text(created, "id")} with {created.GetProperty("members").GetArrayLength()} members");
            }

            return ExitCodes.Ok;
        }));

        var eventsOf = new Argument<string>("pool") { Description = "the pool's id" };
        var limit = new Option<int>("--limit") { Description = "how many of the newest events", DefaultValueFactory = _ => 20 };
        var events = new Command("events", "A pool's decision log, newest first: why each member changed, what agents answered.") { eventsOf, limit };
        events.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var page = await api.GetAsync($"pools/{Uri.EscapeDataString(result.GetValue(eventsOf)!)}/events?pageSize={result.GetValue(limit)}", cancellation);
            return Cli.Print(result, page, answer =>
            {
                var table = new Table().AddColumns("at", "kind", "reason", "load", "changes");
                foreach (var e in Cli.Items(answer))
                {
                    table.AddRow(
                        Cli.Time(e, "at"), Cli.Escape(e, "kind"), Cli.Escape(e, "reason"),
                        e.TryGetProperty("load", out var load) && load.ValueKind == JsonValueKind.Number ? load.GetDouble().ToString("0.##", CultureInfo.InvariantCulture) : "-",
                        Markup.Escape(string.Join(", ", e.GetProperty("changes").EnumerateArray().Select(c => $"{Cli.Text(c, "memberId")}: {Cli.Text(c, "from")} → {Cli.Text(c, "to")}"))));
                }

                return table;
            });
        }));
        return new Command("pools", "Hybrid pools.") { list, show, create, events };
    }
}
