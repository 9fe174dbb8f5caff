using System.CommandLine;
using Spectre.Console;

namespace Serverless.Cli;

/// <summary><c>hybrid operations</c>: list (with the stuck detector's verdict), show, watch.</summary>
internal static class OperationCommands
{
    public static Command Build()
    {
        var status = new Option<string?>("--status") { Description = "only these statuses, comma-separated (pending, running, succeeded, failed, canceled)" };
        var list = new Command("list", "The tenant's operations, newest first; one that makes no progress says what it waits on.") { status };
        list.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var filter = result.GetValue(status) is { } wanted ? $"&status={Uri.EscapeDataString(wanted)}" : string.Empty;
            var page = await api.GetAsync($"operations?pageSize=200{filter}", cancellation);
            return Cli.Print(result, page, answer =>
            {
                var table = new Table().AddColumns("operation", "workflow", "status", "created", "stuck");
                foreach (var o in Cli.Items(answer).OrderByDescending(o => o.GetProperty("createdAt").GetDateTimeOffset()))
                {
                    table.AddRow(
                        Cli.Escape(o, "id"), Cli.Escape(o, "name"), Cli.Escape(o, "status"), Cli.Time(o, "createdAt"),
                        o.TryGetProperty("stuck", out var stuck) ? $"[red]{Cli.Escape(stuck, "reason")}[/]" : string.Empty);
                }

                return table;
            });
        }));

        var id = new Argument<string>("operation") { Description = "the operation's id (from a 202's operationId)" };
        var show = new Command("show", "An operation's status, progress and result.") { id };
        show.SetAction((result, cancellation) => Cli.RunAsync(result, async api =>
        {
            var operation = await api.GetAsync($"operations/{Uri.EscapeDataString(result.GetValue(id)!)}", cancellation);
            if (Cli.IsJson(result))
            {
                Cli.PrintJson(operation);
            }
            else
            {
                Console.WriteLine(Cli.OperationLine(operation));
            }

            return ExitCodes.Ok;
        }));

        var watchId = new Argument<string>("operation") { Description = "the operation's id" };
        var timeout = Cli.TimeoutOption();
        var watch = new Command("watch", "Follow an operation until it ends: live progress on a terminal, a line per change otherwise.") { watchId, timeout };
        watch.SetAction((result, cancellation) => Cli.RunAsync(result, api => Cli.WatchAsync(result, api, result.GetValue(watchId)!, result.GetValue(timeout), cancellation)));
        return new Command("operations", "Long-running operations.") { list, show, watch };
    }
}
