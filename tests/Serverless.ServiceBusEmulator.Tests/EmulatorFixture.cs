using Azure.Messaging.ServiceBus;
using Serverless.ServiceBusEmulator.Configuration;
using Serverless.Testing;

namespace Serverless.ServiceBusEmulator.Tests;

/// <summary>One in-process emulator per test class, on a free loopback port, with queues for each behaviour under test.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public const string TenantAKey = "tenant-a-listen-send-key";
    public const string TenantBKey = "tenant-b-listen-send-key";
    public const string TenantASendOnlyKey = "tenant-a-send-only-key";

    public const string Config = """
        {
          "UserConfig": {
            "Namespaces": [
              {
                "Name": "sbemulatorns",
                "Queues": [
                  { "Name": "plain", "Properties": { "LockDuration": "PT5S", "MaxDeliveryCount": 3 } },
                  { "Name": "short-lock", "Properties": { "LockDuration": "PT2S", "MaxDeliveryCount": 5 } },
                  { "Name": "sessions", "Properties": { "RequiresSession": true, "LockDuration": "PT5S" } },
                  { "Name": "short-sessions", "Properties": { "RequiresSession": true, "LockDuration": "PT1S" } },
                  { "Name": "idle-sessions", "Properties": { "RequiresSession": true, "LockDuration": "PT1S" } },
                  { "Name": "dedupe", "Properties": { "RequiresDuplicateDetection": true, "DuplicateDetectionHistoryTimeWindow": "PT1M" } },
                  { "Name": "expiring", "Properties": { "DefaultMessageTimeToLive": "PT1H", "DeadLetteringOnMessageExpiration": true } },
                  { "Name": "small", "Properties": { "MaxSizeInMegabytes": 1, "MaxMessageSizeInKilobytes": 64 } },
                  { "Name": "tenant-a", "Properties": { "RequiresSession": true },
                    "SharedAccessPolicies": [
                      { "KeyName": "agents", "Key": "tenant-a-listen-send-key", "Rights": [ "Listen", "Send" ] },
                      { "KeyName": "dispatcher", "Key": "tenant-a-send-only-key", "Rights": [ "Send" ] } ] },
                  { "Name": "tenant-b", "Properties": { "RequiresSession": true },
                    "SharedAccessPolicies": [ { "KeyName": "agents", "Key": "tenant-b-listen-send-key", "Rights": [ "Listen", "Send" ] } ] }
                ]
              }
            ]
          }
        }
        """;

    private ServiceBusEmulatorHost? _host;

    public ServiceBusEmulatorHost Host => _host ?? throw new InvalidOperationException("not started");

    public ServiceBusClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        _host = ServiceBusEmulatorHost.Start(EmulatorConfig.Parse(Config), FreePorts.Next());
        Client = CreateClient(Host.DevelopmentConnectionString);
        return Task.CompletedTask;
    }

    public static ServiceBusClient CreateClient(string connectionString, TimeSpan? tryTimeout = null) => new(connectionString, new ServiceBusClientOptions
    {
        RetryOptions = new ServiceBusRetryOptions { MaxRetries = 1, TryTimeout = tryTimeout ?? TimeSpan.FromSeconds(5), Delay = TimeSpan.FromMilliseconds(50) },
    });

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
