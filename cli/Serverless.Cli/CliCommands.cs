using System.CommandLine;

namespace Serverless.Cli;

/// <summary>The command tree of <c>hybrid</c>: each command calls the API and prints a table, or the API's JSON with <c>--output json</c>.</summary>
public static class CliCommands
{
    private const string ExitCodeHelp = """
        Tenant CLI of the hybrid control plane. Configure once with 'hybrid config set --url URL --key KEY' (or
        --token for a tenant API key or Entra ID token); HYBRID_URL, HYBRID_KEY, HYBRID_TOKEN and HYBRID_CONFIG override.
        Exit codes: 0 done; 1 what was waited on (--wait, watch) failed, was canceled or did not end as asked (a stack
        rolled back, a resource rejected); 2 bad command line or configuration; 3 the API refused the request (4xx);
        4 the API could not be reached, failed (5xx), or a wait timed out.
        """;

    public static RootCommand Build()
    {
        Cli.Output.AcceptOnlyFromAmong("table", "json");
        var root = new RootCommand(ExitCodeHelp) { Cli.Output };
        root.Add(ConfigCommand());
        root.Add(ZoneCommands.Build());
        root.Add(ResourceCommands.Build());
        root.Add(PoolCommands.Build());
        root.Add(InstanceCommands.Build());
        root.Add(StackCommands.Build());
        root.Add(MigrationCommands.Build());
        root.Add(OperationCommands.Build());
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

    private static string Mask(string? secret) => secret is { Length: > 8 } ? $"{secret[..4]}…({secret.Length} characters)" : secret is null ? "(not set)" : "(set)";
}
