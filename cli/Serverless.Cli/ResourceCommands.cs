using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Serverless.Cli;

/// <summary><c>hybrid resources</c>: hosts and appliances, their capabilities and rejection reasons; register with --wait.</summary>
internal static class ResourceCommands
{
    public static Command Build()
    {
        var list = new Command("list", "The tenant's resources: kind, state, services, and why any was rejected.");
        list.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
            Cli.Print(result, await api.GetAsync("resources?pageSize=200", cancellation), page =>
            {
                var table = new Table().AddColumns("resource", "zone", "kind", "state", "services", "reasons");
                foreach (var r in Cli.Items(page))
                {
                    table.AddRow(
                        Cli.Escape(r, "id"), Cli.Escape(r, "zone"), Cli.Escape(r, "kind"), State(Cli.Text(r, "state")),
                        Markup.Escape(string.Join(", ", r.GetProperty("serviceCategories").EnumerateArray().Select(c => c.GetString()))),
                        Markup.Escape(string.Join(" ", r.GetProperty("reasons").EnumerateArray().Select(c => c.GetString()))));
                }

                return table;
            })));

        var id = new Argument<string>("resource") { Description = "the resource's id" };
        var show = new Command("show", "A resource with every capability verification recorded.") { id };
        show.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
            Cli.Print(result, await api.GetAsync($"resources/{Uri.EscapeDataString(result.GetValue(id)!)}", cancellation), Describe)));

        var name = new Option<string>("--name") { Description = "the resource's id", Required = true };
        var zone = new Option<string>("--zone") { Description = "the zone it is in", Required = true };
        var kind = new Option<string>("--kind") { Description = "virtualizationHost or snmpAppliance", Required = true };
        kind.AcceptOnlyFromAmong("virtualizationHost", "snmpAppliance");
        var endpoint = new Option<string>("--endpoint") { Description = "a libvirt URI for a host, host:port for an appliance", Required = true };
        var services = new Option<string[]>("--service") { Description = "a service category (compute, migration, load-balancer, …); repeat for more", AllowMultipleArgumentsPerToken = true };
        var profile = new Option<string?>("--device-profile") { Description = "an appliance's device profile" };
        var credential = new Option<string?>("--credential") { Description = "the name of the zone agent's SNMP credential for an appliance" };
        var members = new Option<string[]>("--member") { Description = "an appliance member index to check; repeat for more", AllowMultipleArgumentsPerToken = true };
        var verification = new Option<int?>("--verification-timeout") { Description = "seconds the agent has to verify the resource" };
        var wait = Cli.WaitOption();
        var timeout = Cli.TimeoutOption();
        var register = new Command("register", "Register a host or appliance; the zone's agent verifies it. With --wait: exit 0 registered, 1 rejected (with every reason).")
        {
            name, zone, kind, endpoint, services, profile, credential, members, verification, wait, timeout,
        };
        register.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var body = new JsonObject
            {
                ["name"] = result.GetValue(name),
                ["zone"] = result.GetValue(zone),
                ["kind"] = result.GetValue(kind),
                ["endpoint"] = result.GetValue(endpoint),
                ["serviceCategories"] = new JsonArray([.. (result.GetValue(services) ?? []).Select(s => JsonValue.Create(s))]),
            };
            AddIfSet(body, "deviceProfile", result.GetValue(profile));
            AddIfSet(body, "credential", result.GetValue(credential));
            if (result.GetValue(members) is { Length: > 0 } indexes)
            {
                body["members"] = new JsonArray([.. indexes.Select(m => JsonValue.Create(m))]);
            }

            if (result.GetValue(verification) is { } seconds)
            {
                body["verificationTimeoutSeconds"] = seconds;
            }

            var accepted = await api.PostAsync("resources", body.ToJsonString(), cancellation);
            if (!result.GetValue(wait))
            {
                return await Cli.AcceptedAsync(result, api, accepted, wait: false, 0, cancellation);
            }

            var watched = await Cli.WatchAsync(result, api, Cli.Text(accepted, "operationId"), result.GetValue(timeout), cancellation);
            if (watched != ExitCodes.Ok)
            {
                return watched;
            }

            var resource = await api.GetAsync($"resources/{Uri.EscapeDataString(result.GetValue(name)!)}", cancellation);
            if (Cli.IsJson(result))
            {
                Cli.PrintJson(resource);
            }
            else
            {
                AnsiConsole.Write(Describe(resource));
            }

            return Cli.Text(resource, "state") == "registered" ? ExitCodes.Ok : ExitCodes.OperationFailed;
        }));
        return new Command("resources", "Virtualization hosts and appliances.") { list, show, register };
    }

    private static Table Describe(System.Text.Json.JsonElement r)
    {
        var table = new Table().AddColumns("field", "value");
        table.AddRow("resource", Cli.Escape(r, "id"));
        table.AddRow("zone", Cli.Escape(r, "zone"));
        table.AddRow("kind", Cli.Escape(r, "kind"));
        table.AddRow("endpoint", Cli.Escape(r, "endpoint"));
        table.AddRow("state", State(Cli.Text(r, "state")));
        foreach (var reason in r.GetProperty("reasons").EnumerateArray())
        {
            table.AddRow("reason", $"[red]{Markup.Escape(reason.GetString() ?? string.Empty)}[/]");
        }

        foreach (var capability in r.GetProperty("capabilities").EnumerateObject())
        {
            table.AddRow(Markup.Escape(capability.Name), Markup.Escape(capability.Value.ToString()));
        }

        return table;
    }

    private static string State(string state) => state switch
    {
        "registered" => "[green]registered[/]",
        "rejected" => "[red]rejected[/]",
        _ => Markup.Escape(state),
    };

    private static void AddIfSet(JsonObject body, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            body[name] = value;
        }
    }
}
