namespace Serverless.Testing;

/// <summary>Where things are in the checkout the tests run from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration the tests themselves were built in.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string LocalHostAssembly =>
        Path.Combine(Root, "functions", "Serverless.Functions.LocalHost", "bin", Configuration, "net10.0", "Serverless.Functions.LocalHost.dll");

    public static string ServiceBusEmulatorAssembly =>
        Path.Combine(Root, "tests", "Serverless.ServiceBusEmulator", "bin", Configuration, "net10.0", "Serverless.ServiceBusEmulator.dll");

    public static string CliAssembly =>
        Path.Combine(Root, "cli", "Serverless.Cli", "bin", Configuration, "net10.0", "hybrid.dll");

    public static string RelayAgentAssembly =>
        Path.Combine(Root, "relay-agent", "Serverless.RelayAgent", "bin", Configuration, "net10.0", "Serverless.RelayAgent.dll");

    public static string OrphanProbeAssembly =>
        Path.Combine(Root, "tests", "Serverless.OrphanProbe", "bin", Configuration, "net10.0", "Serverless.OrphanProbe.dll");

    public static string SnmpApplianceAssembly =>
        Path.Combine(Root, "tests", "Serverless.SnmpAppliance", "bin", Configuration, "net10.0", "Serverless.SnmpAppliance.dll");

    public static string FunctionsProject => Path.Combine(Root, "functions", "Serverless.Functions", "Serverless.Functions.csproj");

    /// <summary>A fresh folder under the git-ignored <c>.local/test-runs</c>; callers delete it when done.</summary>
    public static string NewScratchFolder(string purpose)
    {
        var path = Path.Combine(Root, ".local", "test-runs", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Deletes a scratch folder, best effort: it is under the git-ignored <c>.local</c> and scripts/test.sh clears
    /// stale runs, so a file still held open must not fail a test's clean-up.
    /// </summary>
    public static void DeleteScratchFolder(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Serverless.sln above {AppContext.BaseDirectory}.");
    }
}
