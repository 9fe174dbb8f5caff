using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// relay-agent/packaging/check-aot-warnings.sh, the gate publish.sh puts on the native build: a trimming or AOT warning
/// the documented list does not explain fails it; a listed one passes; the shipped list explains every line it has.
/// </summary>
public sealed class AotWarningsCheckTests : IDisposable
{
    private static readonly string Script = Path.Combine(RepositoryPaths.Root, "relay-agent", "packaging", "check-aot-warnings.sh");
    private static readonly string ShippedList = Path.Combine(RepositoryPaths.Root, "relay-agent", "packaging", "aot-warnings.txt");

    private readonly string _folder = RepositoryPaths.NewScratchFolder("aot-warnings");

    [Fact]
    public async Task AWarningNotOnTheList_FailsTheBuild_NamingIt()
    {
        var log = await WriteAsync("publish.log", """
              Serverless.RelayAgent -> /tmp/x/Serverless.RelayAgent.dll
              Generating native code
            /src/Enrol.cs(55): Trim analysis warning IL2026: Enrol.RunAsync(): Using member 'PostAsJsonAsync' which has 'RequiresUnreferencedCodeAttribute'. [/src/a.csproj]
            /src/Enrol.cs(55): AOT analysis warning IL3050: Enrol.RunAsync(): Using member 'PostAsJsonAsync' which has 'RequiresDynamicCodeAttribute'. [/src/a.csproj]
            /src/Enrol.cs(55): Trim analysis warning IL2026: Enrol.RunAsync(): Using member 'PostAsJsonAsync' which has 'RequiresUnreferencedCodeAttribute'. [/src/a.csproj]
            """);

        var (exitCode, output) = await RunAsync(log, ShippedList);

        Assert.Equal(1, exitCode);
        Assert.Contains("2 trimming/AOT warning(s) not explained", output, StringComparison.Ordinal);
        Assert.Contains("warning IL2026: Enrol.RunAsync(): Using member 'PostAsJsonAsync'", output, StringComparison.Ordinal);
        Assert.Contains("warning IL3050: Enrol.RunAsync()", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListedWarning_Passes_AndOnlyWithItsCodeAndPlace()
    {
        var log = await WriteAsync("publish.log", """
            ILC : Trim analysis warning IL2104: Assembly 'Vendor.Sdk' produced trim warnings. For more information see https://aka.ms/il2104 [/src/a.csproj]
            """);
        var list = await WriteAsync("list.txt", "# comment\n\nIL2104\tAssembly 'Vendor.Sdk'\tonly its unused XML serializer path warns\n");
        var otherPlace = await WriteAsync("other.txt", "IL2104\tAssembly 'Other.Sdk'\tanother assembly\n");
        var otherCode = await WriteAsync("code.txt", "IL2026\tAssembly 'Vendor.Sdk'\tanother code\n");

        Assert.Equal(0, (await RunAsync(log, list)).ExitCode);
        Assert.Equal(1, (await RunAsync(log, otherPlace)).ExitCode);
        Assert.Equal(1, (await RunAsync(log, otherCode)).ExitCode);
    }

    [Fact]
    public async Task TheShippedList_GivesEveryEntryAPlaceAndAReason()
    {
        var entries = (await File.ReadAllLinesAsync(ShippedList)).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.All(entries, entry =>
        {
            var fields = entry.Split('\t');
            Assert.True(fields.Length == 3 && fields[0].StartsWith("IL", StringComparison.Ordinal) && fields[1].Length > 0 && fields[2].Length > 0, $"'{entry}' is not CODE<TAB>where<TAB>why");
        });
        Assert.Equal(0, (await RunAsync(await WriteAsync("clean.log", "Build succeeded.\n    0 Warning(s)\n"), ShippedList)).ExitCode);
    }

    public void Dispose() => RepositoryPaths.DeleteScratchFolder(_folder);

    private async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string log, string list)
    {
        await using var check = ChildProcess.Start("bash", [Script, log, list], new Dictionary<string, string?>(), _folder);
        Assert.True(await check.WaitForExitAsync(TimeSpan.FromSeconds(30)), check.Output);
        return (check.ExitCode, check.Output);
    }
}
