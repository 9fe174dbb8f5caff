using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// Runs one of the browser scripts in <c>Console/</c> (puppeteer-core with Debian's chromium) against a host's console,
/// as a child process the watchdog knows of, so a dead test run leaves no browser behind. Screenshots are kept under
/// <c>.local/test-results/console</c>.
/// </summary>
internal static class ConsoleBrowser
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(180);

    public static async Task RunAsync(LocalHostProcess host, string script, IReadOnlyDictionary<string, string> environment)
    {
        var variables = new Dictionary<string, string?>
        {
            ["CONSOLE_URL"] = new Uri(host.BaseAddress, "api/console/").ToString(),
            ["KEY"] = LocalHostProcess.FunctionKey,
            ["SCREENSHOTS"] = Path.Combine(RepositoryPaths.Root, ".local", "test-results", "console"),
        };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        var folder = Path.Combine(RepositoryPaths.Root, "tests", "Serverless.IntegrationTests", "Console");
        await using var browser = ChildProcess.Start("node", [Path.Combine(folder, script)], variables, folder);
        if (!await browser.WaitForExitAsync(Limit))
        {
            throw new TimeoutException($"the console test {script} did not end within {Limit.TotalSeconds} s:\n{browser.Output}");
        }

        Assert.True(browser.ExitCode == 0, $"the console test {script} failed:\n{browser.Output}");
        Assert.Contains("console: ok", browser.Output, StringComparison.Ordinal);
    }
}
