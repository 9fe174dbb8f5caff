using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Serverless.Cli;

/// <summary><c>hybrid zones</c>: provider and client zones with their agent group's connectivity.</summary>
internal static class ZoneCommands
{
    public static Command Build()
    {
        var list = new Command("list", "The tenant's zones, with their agent group's connectivity and last heartbeat.");
        list.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var zones = await api.GetAsync("zones?pageSize=200", cancellation);
            var agents = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var zone in Cli.Items(zones))
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

            if (Cli.IsJson(result))
            {
                Cli.PrintJson(zones);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("zone", "kind", "site", "agents", "last heard");
            foreach (var zone in Cli.Items(zones))
            {
                var name = zone.GetProperty("name").GetString()!;
                var group = agents.GetValueOrDefault(name);
                table.AddRow(
                    Markup.Escape(name),
                    Cli.Text(zone, "kind"),
                    Cli.Text(zone, "site"),
                    group.ValueKind == JsonValueKind.Object ? $"{Cli.Text(group, "status")} ({group.GetProperty("agents").GetArrayLength()})" : "none",
                    group.ValueKind == JsonValueKind.Object ? Cli.Ago(group, "lastHeardAt") : "-");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return new Command("zones", "Provider and client zones.") { list };
    }
}
