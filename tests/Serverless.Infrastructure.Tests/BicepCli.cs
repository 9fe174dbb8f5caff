using System.Diagnostics;
using System.Reflection;
using Serverless.Testing;

namespace Serverless.Infrastructure.Tests;

/// <summary>The bicep CLI from the <c>Azure.Bicep.CommandLine.linux-x64</c> NuGet package, run offline in <c>infra-bicep</c>.</summary>
internal static class BicepCli
{
    private static readonly string Executable = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;

    public static string InfraFolder { get; } = Path.Combine(RepositoryPaths.Root, "infra-bicep");

    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo(Executable)
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
