using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// What the Functions SDK publishes for Azure (functions.metadata) and what the local host serves must agree, function by
/// function: name, trigger kind, route, methods, authorization level, schedule.
/// </summary>
[Collection(LocalSystemCollection.Name)]
public sealed class ParityTests(LocalSystemFixture system)
{
    [Fact]
    public async Task PublishedMetadata_EveryFunction_IsServedByTheLocalHostIdentically()
    {
        var publishFolder = RepositoryPaths.NewScratchFolder("publish");
        try
        {
            var publish = ChildProcess.Start(
                "dotnet",
                ["publish", RepositoryPaths.FunctionsProject, "-c", RepositoryPaths.Configuration, "-o", publishFolder, "--no-restore", "-nologo"],
                new Dictionary<string, string?>(),
                RepositoryPaths.Root);
            await using (publish)
            {
                Assert.True(await publish.WaitForExitAsync(TimeSpan.FromMinutes(5)), $"dotnet publish did not finish within 5 minutes:\n{publish.Output}");
            }

            foreach (var file in new[] { "functions.metadata", "host.json", "worker.config.json", "extensions.json", "Serverless.Functions.dll" })
            {
                Assert.True(File.Exists(Path.Combine(publishFolder, file)), $"publish output lacks {file}:\n{publish.Output}");
            }

            Assert.True(Directory.Exists(Path.Combine(publishFolder, ".azurefunctions")), "publish output lacks the extensions payload (.azurefunctions)");

            using var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(publishFolder, "functions.metadata")));
            var published = metadata.RootElement.EnumerateArray()
                .Select(f => (Name: f.GetProperty("name").GetString()!, Trigger: f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal))))
                .ToDictionary(f => f.Name, f => f.Trigger);

            using var admin = system.Host.CreateClient(LocalHostProcess.MasterKey);
            var served = (await admin.GetFromJsonAsync<JsonElement>(new Uri("admin/functions", UriKind.Relative))).EnumerateArray()
                .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("trigger"));

            Assert.Equal(published.Keys.Order(StringComparer.Ordinal), served.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, trigger) in published)
            {
                var local = served[name];
                Assert.Equal(trigger.GetProperty("type").GetString(), local.GetProperty("type").GetString());
                Assert.Equal(Text(trigger, "route"), Text(local, "route"));
                Assert.Equal(Text(trigger, "authLevel"), Text(local, "authLevel"));
                Assert.Equal(Text(trigger, "schedule"), Text(local, "schedule"));
                Assert.Equal(List(trigger, "methods"), List(local, "methods"));
            }
        }
        finally
        {
            Directory.Delete(publishFolder, recursive: true);
        }
    }

    private static string? Text(JsonElement binding, string name) =>
        binding.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string List(JsonElement binding, string name) =>
        binding.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? string.Join(',', value.EnumerateArray().Select(v => v.GetString()!.ToLowerInvariant()).Order(StringComparer.Ordinal))
            : string.Empty;
}
