using System.Text.Json;
using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Agents;
using Serverless.Functions.Agents;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Health;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Migrations;
using Serverless.ControlPlane.Placement;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Stacks;
using Serverless.ControlPlane.Tenancy;
using Serverless.ControlPlane.Zones;
using Serverless.Functions.Commands;
using Serverless.Functions.Health;
using Serverless.Functions.Http;
using Serverless.Functions.Maintenance;
using Serverless.Functions.Pools;
using Serverless.Functions.Registration;
using Serverless.Functions.Storage;

namespace Serverless.Functions;

/// <summary>
/// The app's service registrations, in one place: the Functions worker's <c>Program</c> and the local host both call
/// <see cref="AddControlPlane"/>, so the two run the same services.
/// </summary>
public static class AppServiceCollectionExtensions
{
    /// <summary>
    /// JSON of durable payloads (orchestration inputs, outputs, custom status, events): web defaults, camelCase.
    /// Set explicitly so the worker and the local host write the same payloads that the operations API shows.
    /// </summary>
    public static JsonSerializerOptions DurablePayloadJsonOptions { get; } = new(JsonSerializerDefaults.Web);

    public static IServiceCollection AddControlPlane(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RecentOrchestrations>();
        services.Configure<WorkerOptions>(options => options.Serializer = new JsonObjectSerializer(DurablePayloadJsonOptions));
        services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));

        AddValidatedOptions<TenancyOptions>(services, TenancyOptions.SectionName);
        AddValidatedOptions<RegistrationOptions>(services, RegistrationOptions.SectionName);
        AddValidatedOptions<HistoryPurgeOptions>(services, HistoryPurgeOptions.SectionName);
        AddValidatedOptions<CommandChannelOptions>(services, CommandChannelOptions.SectionName);
        AddValidatedOptions<ConnectivityOptions>(services, ConnectivityOptions.SectionName);
        AddValidatedOptions<PoolOptions>(services, PoolOptions.SectionName);
        AddValidatedOptions<PlacementOptions>(services, PlacementOptions.SectionName);
        AddValidatedOptions<MigrationOptions>(services, MigrationOptions.SectionName);
        AddValidatedOptions<OperationOptions>(services, OperationOptions.SectionName);

        services.AddSingleton(_ => new TableProvider(StorageConnection.CreateTableServiceClient(configuration)));
        services.AddSingleton<IZoneStore, TableZoneStore>();
        services.AddSingleton<IResourceStore, TableResourceStore>();
        services.AddSingleton<IInstanceStore, TableInstanceStore>();
        services.AddSingleton<IManagedInstanceStore, TableManagedInstanceStore>();
        services.AddSingleton<IHostAllocationStore, TableHostAllocationStore>();
        services.AddSingleton<IStackStore, TableStackStore>();
        services.AddSingleton<IMigrationStore, TableMigrationStore>();
        services.AddSingleton<IInstanceStateBlobs>(services => new BlobInstanceStateStore(StorageConnection.CreateBlobServiceClient(configuration), services.GetRequiredService<TimeProvider>()));
        services.AddSingleton<TablePoolStore>();
        services.AddSingleton<IPoolStore>(services => services.GetRequiredService<TablePoolStore>());
        services.AddSingleton<IPoolRuntimeStore>(services => services.GetRequiredService<TablePoolStore>());
        services.AddSingleton<IMetricWindowStore, TableMetricWindowStore>();
        services.AddSingleton<ICommandLog, TableCommandLog>();
        services.AddSingleton<ICommandResultStore, TableCommandResultStore>();
        services.AddSingleton<IAgentCredentialStore, TableAgentCredentialStore>();
        services.AddSingleton<IEnrolmentStore, TableEnrolmentStore>();
        services.AddSingleton<IAgentGroupStore, TableAgentGroupStore>();
        services.AddSingleton<ITenantKeyStore, TableTenantKeyStore>();
        services.AddSingleton<IAgentTelemetryStore, TableAgentTelemetryStore>();
        services.AddSingleton<ICommandDispatcher, ServiceBusCommandDispatcher>();
        services.AddSingleton<IHealthProbe, TableStorageHealthProbe>();

        services.AddSingleton(services => new Lazy<EntraIdTokenValidator>(() => EntraIdTokenValidator.ForAuthority(services.GetRequiredService<IOptions<TenancyOptions>>())));
        services.AddSingleton<RequestTenant>();
        services.AddSingleton<HealthService>();
        services.AddSingleton<ZoneService>();
        services.AddSingleton<RegistrationService>();
        services.AddSingleton<RegistrationStart>();
        services.AddSingleton<UnregistrationService>();
        services.AddSingleton<PoolService>();
        services.AddSingleton<InstanceService>();
        services.AddSingleton<InstanceReconciler>();
        services.AddSingleton<BatchActionService>();
        services.AddSingleton<StackService>();
        services.AddSingleton<MigrationService>();
        services.AddSingleton<PoolEvaluationService>();
        services.AddSingleton<CommandService>();
        services.AddSingleton<AgentCredentialService>();
        services.AddSingleton<EnrolmentService>();
        services.AddSingleton<ConnectivityService>();
        services.AddSingleton<AgentGroupService>();
        services.AddSingleton<TenantKeyService>();
        services.AddSingleton<PoolWindowRings>();
        services.AddSingleton<AgentTelemetryService>();
        services.AddSingleton<OperationStallService>();
        return services;
    }

    private static void AddValidatedOptions<TOptions>(IServiceCollection services, string sectionName)
        where TOptions : class
    {
        services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateDataAnnotations().ValidateOnStart();
    }
}
