using System.Globalization;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>Processes the tests start do not outlive the test process, however it ends (<see cref="ChildProcess"/>, <c>scripts/test-watchdog.sh</c>).</summary>
public sealed class OrphanTests
{
    [Fact]
    public async Task A_child_is_listed_for_the_watchdog_while_it_runs_and_forgotten_once_stopped()
    {
        var child = ChildProcess.Start("sleep", ["600"], new Dictionary<string, string?>(), Path.GetTempPath());
        var line = $"{child.Id} {ProcessStat.StartTime(child.Id)}";
        Assert.Contains(line, File.ReadAllLines(ChildProcess.WatchFile));

        await child.DisposeAsync();

        Assert.DoesNotContain(line, File.ReadAllLines(ChildProcess.WatchFile));
    }

    [Fact]
    public async Task A_test_process_killed_with_9_leaves_no_child_behind()
    {
        await using var probe = ChildProcess.Start("dotnet", [RepositoryPaths.OrphanProbeAssembly], new Dictionary<string, string?>(), Path.GetTempPath());
        var childId = int.Parse(
            await Eventually.GetAsync(() => Task.FromResult(probe.Output.Split('\n').FirstOrDefault(l => l.Length > 0 && l.All(char.IsAsciiDigit))), TimeSpan.FromSeconds(30), "the probe's child"),
            CultureInfo.InvariantCulture);
        var started = ProcessStat.StartTime(childId);
        Assert.NotNull(started);

        // kill -9 of the probe alone: no shutdown code of its runs, nothing else is signalled.
        using (var kill = System.Diagnostics.Process.Start("kill", ["-KILL", probe.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await Eventually.TrueAsync(() => ProcessStat.StartTime(childId) != started, TimeSpan.FromSeconds(15), "the probe's child to be killed by its watchdog");
    }
}
