using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;
using Serverless.Contracts.Commands;
using Serverless.RelayAgent.Channel;
using Serverless.RelayAgent.Execution;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Migration;
using Serverless.RelayAgent.Snmp;
using Serverless.RelayAgent.Telemetry;
using Serverless.RelayAgent.Uplink;
using Serverless.Snmp;

namespace Serverless.RelayAgent;

/// <summary>The agent's host as the service runs it, and as <c>relay-agent check</c> inspects it without starting it.</summary>
public static class AgentHost
{
    /// <summary>
    /// Configuration from <c>appsettings.json</c> beside the executable (whatever the working directory: systemd
    /// starts services in /), then <paramref name="configFile"/>, environment variables and systemd credentials.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string? configFile, IReadOnlyList<string> hostArgs, bool logToConsole = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [.. hostArgs], ContentRootPath = AppContext.BaseDirectory });
        if (configFile is not null)
        {
            builder.Configuration.AddJsonFile(configFile, optional: false);
            builder.Configuration.AddEnvironmentVariables();
        }

        // systemd's LoadCredential= puts each secret in its own file, named like the setting (RelayAgent__Credential).
        if (Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY") is { Length: > 0 } credentials && Directory.Exists(credentials))
        {
            builder.Configuration.AddKeyPerFile(credentials, optional: true);
        }

        if (logToConsole)
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
        else
        {
            builder.Logging.ClearProviders();
        }

        builder.Services.AddSystemd();
        builder.Services.AddAgentTelemetry(builder.Configuration);
        builder.Services.AddOptions<RelayAgentOptions>().BindConfiguration(RelayAgentOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RelayAgentOptions>, RelayAgentOptionsRules>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(
            builder.Configuration.GetValue($"{RelayAgentOptions.SectionName}:ShutdownGraceSeconds", 10) + 5));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AgentStatus>();
        builder.Services.AddSingleton(services =>
        {
            var agent = services.GetRequiredService<IOptions<RelayAgentOptions>>().Value;
            return new ServiceBusClient(agent.ServiceBusConnection, new ServiceBusClientOptions
            {
                Identifier = $"relay-agent-{agent.AgentId}",
                RetryOptions = new ServiceBusRetryOptions { MaxRetries = 3, Delay = TimeSpan.FromMilliseconds(200), TryTimeout = TimeSpan.FromSeconds(10) },
            });
        });
        builder.Services.AddHttpClient<UplinkClient>((services, client) => UplinkClient.Configure(client, services.GetRequiredService<IOptions<RelayAgentOptions>>().Value));
        builder.Services.AddOptions<SnmpAgentOptions>().BindConfiguration(SnmpAgentOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SnmpAgentOptions>, SnmpAgentOptionsRanges>();
        builder.Services.AddSingleton<IValidateOptions<SnmpAgentOptions>, SnmpAgentOptionsValidator>();
        builder.Services.AddSingleton(services =>
        {
            var snmp = services.GetRequiredService<IOptions<SnmpAgentOptions>>().Value;
            return new SnmpClient(new SnmpClientOptions(TimeSpan.FromMilliseconds(snmp.TimeoutMilliseconds), snmp.Retries));
        });
        builder.Services.AddSingleton<SnmpDevices>();
        builder.Services.AddSingleton<DeviceProfileCatalog>();
        builder.Services.AddSingleton<MetricsPoller>();
        builder.Services.AddSingleton<InstanceMetrics>();
        builder.Services.AddSingleton<MemberMetrics>();
        builder.Services.AddOptions<LibvirtAgentOptions>().BindConfiguration(LibvirtAgentOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LibvirtAgentOptions>, LibvirtAgentOptionsValidator>();
        builder.Services.AddSingleton<LibvirtHosts>();
        builder.Services.AddSingleton<LibvirtVerifier>();
        builder.Services.AddSingleton<ICommandHandler, PingHandler>();
        builder.Services.AddSingleton<ICommandHandler, DiagnosticsHandler>();
        builder.Services.AddSingleton<ICommandHandler, SnmpGetHandler>();
        builder.Services.AddSingleton<ICommandHandler, SnmpSetHandler>();
        builder.Services.AddSingleton<ICommandHandler, SnmpWalkHandler>();
        builder.Services.AddSingleton<ICommandHandler>(services => ActivatorUtilities.CreateInstance<MemberActionHandler>(services, true));
        builder.Services.AddSingleton<ICommandHandler>(services => ActivatorUtilities.CreateInstance<MemberActionHandler>(services, false));
        builder.Services.AddSingleton<ICommandHandler, MetricsPollHandler>();
        builder.Services.AddSingleton<ICommandHandler, CapabilitiesVerifyHandler>();
        builder.Services.AddSingleton<ICommandHandler, InstanceStopHandler>();
        builder.Services.AddSingleton<ICommandHandler, ResourceUninstallHandler>();
        builder.Services.AddSingleton<ICommandHandler, InstanceStartHandler>();
        builder.Services.AddSingleton<ICommandHandler, MetricsSubscribeHandler>();
        builder.Services.AddSingleton<ICommandHandler, InstanceListHandler>();
        builder.Services.AddSingleton<ICommandHandler, InstanceDefineHandler>();
        builder.Services.AddSingleton<ICommandHandler, InstanceTerminateHandler>();
        builder.Services.AddSingleton<ICommandHandler, InstanceAdoptHandler>();
        builder.Services.AddSingleton<MigrationFiles>();
        builder.Services.AddHttpClient<BlockBlobTransfer>(client => client.Timeout = TimeSpan.FromMinutes(5));
        builder.Services.AddSingleton<ICommandHandler, InstanceDescribeHandler>();
        builder.Services.AddSingleton<ICommandHandler, RestoreCheckHandler>();
        builder.Services.AddSingleton<ICommandHandler, InstanceSaveHandler>();
        builder.Services.AddSingleton<ICommandHandler, InstanceUploadHandler>();
        builder.Services.AddSingleton<ICommandHandler, InstanceRestoreHandler>();
        builder.Services.AddSingleton<ICommandHandler, InstanceRevertHandler>();
        builder.Services.AddSingleton<ICommandHandler, InstanceReleaseHandler>();
        builder.Services.AddSingleton<ICommandHandler, HealthCheckHandler>();
        foreach (var kind in new[] { CommandKinds.RebootInstance, CommandKinds.SuspendInstance, CommandKinds.ResumeInstance })
        {
            builder.Services.AddSingleton<ICommandHandler>(services => ActivatorUtilities.CreateInstance<InstanceActionHandler>(services, kind));
        }

        builder.Services.AddSingleton<MetricsSubscriptions>();
        builder.Services.AddSingleton<CommandHandlerRegistry>();
        builder.Services.AddSingleton<ExecutionJournal>();
        builder.Services.AddSingleton<CommandExecutor>();
        builder.Services.AddHostedService<SessionWorker>();
        builder.Services.AddHostedService<HeartbeatWorker>();
        builder.Services.AddHostedService<MetricsWorker>();

        return builder;
    }
}
