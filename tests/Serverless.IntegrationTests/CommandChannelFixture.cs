using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// The whole command channel on one machine: Azurite, the Service Bus emulator (as its own process), and the local
/// Functions host sending commands through it. Tests start relay agents against it as they need them.
/// </summary>
public class CommandChannelFixture : IAsyncLifetime
{
    public const string TenantId = "default";
    public const string QueueName = "commands-default";
    public const string AgentKeyName = "agents";
    public const string AgentKey = "agents-listen-key-for-tests";

    /// <summary>
    /// Silence after which a group is Disconnected: short for the connectivity test, long against the test agents'
    /// 5 s heartbeats so that no other test's group flaps.
    /// </summary>
    public const int DisconnectedAfterSeconds = 15;

    /// <summary>The pool evaluator's tick in these tests (production: 30 s).</summary>
    public const int PoolTickSeconds = 2;

    /// <summary>Instance state sync in these tests (production: every minute).</summary>
    public const int ReconcileSeconds = 3;

    /// <summary>How long a migration step may take here (production: 120 s).</summary>
    public const int MigrationStepTimeoutSeconds = 15;

    /// <summary>Time without progress after which an operation shows as stuck here (production: 120 s).</summary>
    public const int StalledAfterSeconds = 5;

    /// <summary>Short, so that failover after a lost session happens within seconds.</summary>
    public const int LockDurationSeconds = 5;

    public static readonly string EmulatorConfig = TenantQueueConfig.Json(QueueName, AgentKeyName, AgentKey, LockDurationSeconds);

    public AzuriteProcess Azurite { get; private set; } = null!;

    public ServiceBusEmulatorProcess ServiceBus { get; private set; } = null!;

    public LocalHostProcess Host { get; private set; } = null!;

    /// <summary>The connection string an agent gets: Listen on its tenant's queue only.</summary>
    public string AgentConnectionString => ServiceBus.ConnectionStringFor(AgentKeyName, AgentKey, QueueName);

    /// <summary>Settings a derived fixture adds to the host's.</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraHostSettings() => new Dictionary<string, string>();

    /// <summary>Environment a derived fixture adds to every agent's.</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraAgentEnvironment() => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteProcess.StartAsync();
        ServiceBus = await ServiceBusEmulatorProcess.StartAsync(EmulatorConfig);
        Host = await LocalHostProcess.StartAsync(Azurite, new Dictionary<string, string>
        {
            ["ServiceBusConnection"] = ServiceBus.ConnectionString,
            ["CommandChannel__QueueNamePrefix"] = "commands-",
            ["CommandChannel__DefaultTimeoutSeconds"] = "30",
            [$"CommandChannel__AgentConnections__{TenantId}"] = AgentConnectionString,
            ["LocalHost__VisibilityTimeout"] = "00:00:10",
            ["Connectivity__Schedule"] = "*/1 * * * * *",
            ["Pools__Schedule"] = $"*/{PoolTickSeconds} * * * * *",
            ["Instances__ReconcileSchedule"] = $"*/{ReconcileSeconds} * * * * *",
            // Test-driver hosts have 4 CPUs; the batch test packs 100 one-vCPU instances on one.
            ["Placement__CpuOvercommit"] = "32",
            // Guests without an OS ignore the shutdown request: a stop powers them off after this.
            ["Registration__DrainGraceSeconds"] = "5",
            ["Connectivity__DisconnectedAfterSeconds"] = $"{DisconnectedAfterSeconds}",
            // Test-driver steps take milliseconds: a migration step whose agent is gone falls back within seconds.
            ["Migrations__StepTimeoutSeconds"] = $"{MigrationStepTimeoutSeconds}",
            ["Operations__StalledAfterSeconds"] = $"{StalledAfterSeconds}",
        }.Concat(ExtraHostSettings()).ToDictionary());
    }

    /// <summary>Creates the zone (if needed), issues a credential and starts an agent of the zone's group.</summary>
    public async Task<RelayAgentProcess> StartAgentAsync(string agentId, string zone, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var client = Host.CreateClient();
        await Api.CreateZoneAsync(client, zone);
        using var admin = Host.CreateClient(LocalHostProcess.MasterKey);
        using var response = await admin.PostAsync(new Uri("api/v1/agents/credentials", UriKind.Relative), Api.Json($$"""{"agentId":"{{agentId}}","agentGroup":"{{zone}}"}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var credential = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        return await RelayAgentProcess.StartAsync(new RelayAgentSettings(
            agentId, zone, TenantId, AgentConnectionString, QueueName, Host.BaseAddress, credential,
            Environment: ExtraAgentEnvironment().Concat(environment ?? new Dictionary<string, string>()).ToDictionary()));
    }

    public virtual async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (ServiceBus is not null)
        {
            await ServiceBus.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }
}
