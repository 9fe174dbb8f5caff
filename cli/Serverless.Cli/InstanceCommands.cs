using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Serverless.Cli;

/// <summary><c>hybrid instances</c>: the same commands for instances in provider and client zones.</summary>
internal static class InstanceCommands
{
    private static readonly string[] Actions = ["start", "stop", "restart", "suspend", "resume"];

    public static Command Build()
    {
        var zone = new Option<string?>("--zone") { Description = "only instances in this zone" };
        var state = new Option<string?>("--state") { Description = "only instances in this state (running, stopped, …)" };
        var tag = new Option<string?>("--tag") { Description = "only instances with this tag (key=value or key)" };
        var list = new Command("list", "The tenant's instances in name order.") { zone, state, tag };
        list.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var query = string.Concat(new[] { ("zone", result.GetValue(zone)), ("state", result.GetValue(state)), ("tag", result.GetValue(tag)) }
                .Where(p => p.Item2 is not null).Select(p => $"&{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
            return Cli.Print(result, await api.GetAsync($"instances?pageSize=200{query}", cancellation), page =>
            {
                var table = new Table().AddColumns("instance", "zone", "host", "state", "size", "image");
                foreach (var i in Cli.Items(page))
                {
                    var size = i.GetProperty("size");
                    table.AddRow(
                        Cli.Escape(i, "name"), Cli.Escape(i, "zone"), Cli.Escape(i, "host"), Cli.Escape(i, "state"),
                        $"{Cli.Text(size, "vcpus")} vCPU, {Cli.Text(size, "memoryMiB")} MiB", Cli.Escape(i, "image"));
                }

                return table;
            });
        }));

        var id = new Argument<string>("instance") { Description = "the instance's name" };
        var show = new Command("show", "An instance: state, zone, host, size, what its host reports.") { id };
        show.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
            Cli.Print(result, await api.GetAsync($"instances/{Uri.EscapeDataString(result.GetValue(id)!)}", cancellation), i =>
            {
                var table = new Table().AddColumns("field", "value");
                foreach (var field in new[] { "name", "state", "reason", "zone", "host", "image", "observed", "pendingAction", "operationId" })
                {
                    if (i.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null)
                    {
                        table.AddRow(field, Markup.Escape(value.ToString()));
                    }
                }

                return table;
            })));

        var commands = new Command("instances", "Instances in provider and client zones, under one API.") { list, show, Launch(), Terminate(), Batch() };
        foreach (var action in Actions)
        {
            commands.Add(Act(action));
        }

        return commands;
    }

    private static Command Launch()
    {
        var name = new Option<string>("--name") { Description = "the instance's name", Required = true };
        var zone = new Option<string?>("--zone") { Description = "the zone to launch in" };
        var zoneKind = new Option<string?>("--zone-kind") { Description = "instead of --zone: any zone of this kind (provider or client)" };
        var vcpus = new Option<int>("--vcpus") { Description = "virtual CPUs", DefaultValueFactory = _ => 1 };
        var memory = new Option<int>("--memory") { Description = "memory in MiB", DefaultValueFactory = _ => 512 };
        var image = new Option<string>("--image") { Description = "the image, as the zone's hosts name it", Required = true };
        var host = new Option<string?>("--host") { Description = "pin it to this host" };
        var tags = new Option<string[]>("--tag") { Description = "key=value; repeat for more", AllowMultipleArgumentsPerToken = true };
        var wait = Cli.WaitOption();
        var timeout = Cli.TimeoutOption();
        var launch = new Command("launch", "Launch an instance on a host placement chooses.") { name, zone, zoneKind, vcpus, memory, image, host, tags, wait, timeout };
        launch.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var body = new JsonObject
            {
                ["name"] = result.GetValue(name),
                ["size"] = new JsonObject { ["vcpus"] = result.GetValue(vcpus), ["memoryMiB"] = result.GetValue(memory) },
                ["image"] = result.GetValue(image),
                ["tags"] = Tags(result.GetValue(tags) ?? []),
            };
            if (result.GetValue(zone) is { } inZone)
            {
                body["zone"] = inZone;
            }
            else if (result.GetValue(zoneKind) is { } kind)
            {
                body["zoneSelector"] = new JsonObject { ["kind"] = kind };
            }

            if (result.GetValue(host) is { } pinned)
            {
                body["placement"] = new JsonObject { ["host"] = pinned };
            }

            var accepted = await api.PostAsync("instances", body.ToJsonString(), cancellation);
            return await Cli.AcceptedAsync(result, api, accepted, result.GetValue(wait), result.GetValue(timeout), cancellation);
        }));
        return launch;
    }

    private static Command Act(string action)
    {
        var id = new Argument<string>("instance") { Description = "the instance's name" };
        var wait = Cli.WaitOption();
        var timeout = Cli.TimeoutOption();
        var command = new Command(action, $"{char.ToUpperInvariant(action[0])}{action[1..]} an instance (already so: nothing is sent).") { id, wait, timeout };
        command.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var answer = await api.PostAsync($"instances/{Uri.EscapeDataString(result.GetValue(id)!)}/{action}", null, cancellation);
            if (answer.TryGetProperty("state", out _))
            {
                // 200 with the instance: the action was already in effect.
                if (Cli.IsJson(result))
                {
                    Cli.PrintJson(answer);
                }
                else
                {
                    Console.WriteLine($"{result.GetValue(id)} is already {Cli.Text(answer, "state")}: nothing to do");
                }

                return ExitCodes.Ok;
            }

            return await Cli.AcceptedAsync(result, api, answer, result.GetValue(wait), result.GetValue(timeout), cancellation);
        }));
        return command;
    }

    private static Command Terminate()
    {
        var id = new Argument<string>("instance") { Description = "the instance's name" };
        var wait = Cli.WaitOption();
        var timeout = Cli.TimeoutOption();
        var command = new Command("terminate", "Destroy an instance, undefine it and delete its disk.") { id, wait, timeout };
        command.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var accepted = await api.DeleteAsync($"instances/{Uri.EscapeDataString(result.GetValue(id)!)}", cancellation);
            return await Cli.AcceptedAsync(result, api, accepted, result.GetValue(wait), result.GetValue(timeout), cancellation);
        }));
        return command;
    }

    private static Command Batch()
    {
        var action = new Argument<string>("action") { Description = "start, stop, restart, suspend, resume or terminate" };
        action.AcceptOnlyFromAmong([.. Actions, "terminate"]);
        var names = new Option<string[]>("--target") { Description = "an instance's name; repeat for more", AllowMultipleArgumentsPerToken = true };
        var zone = new Option<string?>("--zone") { Description = "instead of names: every instance of the zone" };
        var tag = new Option<string?>("--tag") { Description = "instead of names: every instance with this tag (with --zone: of that zone)" };
        var concurrency = new Option<string?>("--max-concurrency") { Description = "targets at once, a number or a percentage" };
        var errors = new Option<string?>("--max-errors") { Description = "failures after which the rest are skipped, a number or a percentage" };
        var wait = Cli.WaitOption();
        var timeout = Cli.TimeoutOption();
        var batch = new Command("batch", "One action over many instances, with a concurrency and an error budget.") { action, names, zone, tag, concurrency, errors, wait, timeout };
        batch.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var targets = new JsonObject();
            if (result.GetValue(names) is { Length: > 0 } named)
            {
                targets["names"] = new JsonArray([.. named.Select(n => JsonValue.Create(n))]);
            }

            if (result.GetValue(zone) is { } inZone)
            {
                targets["zone"] = inZone;
            }

            if (result.GetValue(tag) is { } tagged)
            {
                targets["tag"] = tagged;
            }

            var body = new JsonObject { ["action"] = result.GetValue(action), ["targets"] = targets };
            if (result.GetValue(concurrency) is { } most)
            {
                body["maxConcurrency"] = most;
            }

            if (result.GetValue(errors) is { } budget)
            {
                body["maxErrors"] = budget;
            }

            var accepted = await api.PostAsync("instances/actions", body.ToJsonString(), cancellation);
            return await Cli.AcceptedAsync(result, api, accepted, result.GetValue(wait), result.GetValue(timeout), cancellation);
        }));
        return batch;
    }

    private static JsonObject Tags(string[] pairs)
    {
        var tags = new JsonObject();
        foreach (var pair in pairs)
        {
            var split = pair.Split('=', 2);
            if (split.Length != 2 || split[0].Length == 0)
            {
                throw new CliUsageException($"--tag '{pair}' is not key=value.");
            }

            tags[split[0]] = split[1];
        }

        return tags;
    }
}
