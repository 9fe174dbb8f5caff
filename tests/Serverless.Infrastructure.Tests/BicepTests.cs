using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Serverless.Functions;
using Serverless.Testing;

namespace Serverless.Infrastructure.Tests;

/// <summary>Offline checks of infra-bicep with the bicep CLI from NuGet: it compiles and lints clean, and matches the app.</summary>
public sealed class BicepTests
{
    private static readonly string Bicep = typeof(BicepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
    private static readonly string InfraFolder = Path.Combine(RepositoryPaths.Root, "infra-bicep");

    [Theory]
    [InlineData("build", "main.bicep")]
    [InlineData("lint", "main.bicep")]
    [InlineData("build-params", "main.dev.bicepparam")]
    public async Task BicepCommand_OnTemplates_SucceedsWithoutWarnings(string command, string file)
    {
        var (exitCode, output, errors) = command == "lint" ? await RunBicepAsync(command, file) : await RunBicepAsync(command, file, "--stdout");

        Assert.True(exitCode == 0, $"bicep {command} failed:\n{errors}");
        Assert.DoesNotContain("Warning", errors, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Warning", command == "lint" ? output : string.Empty, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CompiledTemplate_AppSettings_CoverEverySettingTheCodeReads()
    {
        var (exitCode, output, errors) = await RunBicepAsync("build", "main.bicep", "--stdout");
        Assert.True(exitCode == 0, errors);

        var settingNames = typeof(AppSettingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && !f.Name.EndsWith("Expression", StringComparison.Ordinal))
            .Select(f => ((string)f.GetRawConstantValue()!).Replace(":", "__", StringComparison.Ordinal));
        // A literal settings object names them in JSON quotes; inside an expression such as union(...), in ARM's single quotes.
        foreach (var name in settingNames)
        {
            Assert.True(output.Contains($"\"{name}", StringComparison.Ordinal) || output.Contains($"'{name}", StringComparison.Ordinal), $"the template does not set {name}");
        }

        Assert.DoesNotContain("AccountKey=", output, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys(", output, StringComparison.Ordinal);
        using var template = JsonDocument.Parse(output);
        Assert.NotEqual(0, template.RootElement.GetProperty("resources").GetArrayLength());
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunBicepAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo(Bicep)
        {
            WorkingDirectory = InfraFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Offline: never let the CLI look for updates or telemetry endpoints.
        info.Environment["BICEP_TRACING_ENABLED"] = "false";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
