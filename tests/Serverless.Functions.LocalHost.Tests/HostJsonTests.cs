namespace Serverless.Functions.LocalHost.Tests;

/// <summary>The local host reads the durable settings of host.json as the Functions host does, and refuses what it cannot honour.</summary>
public sealed class HostJsonTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hostjson-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_DurableTaskSettings_AreRead()
    {
        var path = Write("""
            { "version": "2.0",
              "extensions": { "http": { "routePrefix": "/api/" },
                "durableTask": { "hubName": "hub", "extendedSessionsEnabled": true, "extendedSessionIdleTimeoutInSeconds": 12,
                  "storageProvider": { "partitionCount": 2, "maxQueuePollingInterval": "00:00:03" } } } }
            """);

        var hostJson = HostJson.Load(path);

        Assert.Equal(("api", "hub", 2, TimeSpan.FromSeconds(3), true, 12),
            (hostJson.RoutePrefix, hostJson.HubName, hostJson.PartitionCount, hostJson.MaxQueuePollingInterval, hostJson.ExtendedSessionsEnabled, hostJson.ExtendedSessionIdleTimeoutSeconds));
    }

    [Fact]
    public void Load_WithoutDurableSettings_TakesTheFunctionsHostsDefaults()
    {
        var hostJson = HostJson.Load(Write("""{ "version": "2.0" }"""));

        Assert.Equal(("api", false, 30), (hostJson.RoutePrefix, hostJson.ExtendedSessionsEnabled, hostJson.ExtendedSessionIdleTimeoutSeconds));
    }

    private string Write(string json)
    {
        var path = Path.Combine(_folder, "host.json");
        File.WriteAllText(path, json);
        return path;
    }
}
