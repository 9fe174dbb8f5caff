using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;
using Serverless.RelayAgent;
using Serverless.RelayAgent.Channel;
using Serverless.RelayAgent.Execution;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Snmp;
using Serverless.RelayAgent.Uplink;
using Serverless.Snmp;
using Serverless.Snmp.Profiles;

const string Usage = """
    Relay agent: holds its agent group's Service Bus session, executes commands, reports over HTTPS.

    Usage: Serverless.RelayAgent [--config FILE]
           Serverless.RelayAgent snmp get|getnext|walk|bulkwalk|set ...   (check a device; "snmp" alone for help)
           Serverless.RelayAgent enrol --url URL --code CODE --agent-id ID [--config FILE]   (exchange an enrolment code)

      --config FILE   JSON configuration with a "RelayAgent" section; environment variables such as
                      RelayAgent__Credential override it (use them for secrets)

    Settings (section RelayAgent): AgentId, AgentGroup, TenantId, QueueName, ServiceBusConnection,
    ControlPlaneUrl, Credential, HeartbeatIntervalSeconds (60), StandbyRetrySeconds (2),
    ShutdownGraceSeconds (10), JournalPath (optional).
    SNMP (section RelayAgent:Snmp): Credentials:NAME:{Version, Community, User, AuthProtocol, AuthPassword,
    PrivProtocol, PrivPassword, ContextName}, ProfilesPath (optional folder of device profiles),
    TimeoutMilliseconds (1000), Retries (2), MaxOidsPerRequest (48), PollParallelism (64).
    libvirt (section RelayAgent:Libvirt): Uris (the libvirt URIs commands may name, e.g. Uris:0=qemu:///system).

    Secrets can also come from files in $CREDENTIALS_DIRECTORY (systemd LoadCredential=), one per setting,
    named like the environment variable (RelayAgent__Snmp__Credentials__lb__Community).

    Runs as a systemd service (Type=notify) or in a terminal; stops cleanly on SIGTERM. Exits with 3 when the control
    plane has revoked its credential (its zone's agents were removed), 2 when its configuration is invalid.
    """;

if (args is ["enrol", ..])
{
    return await Serverless.RelayAgent.Enrolment.EnrolCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

if (args is ["snmp", ..])
{
    return await Serverless.RelayAgent.Snmp.SnmpCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

string? configFile = null;
var hostArgs = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        case "--config" when i + 1 < args.Length:
            configFile = Path.GetFullPath(args[++i]);
            break;
        case "--config":
            Console.Error.WriteLine($"--config needs a file\n\n{Usage}");
            return 2;
        default:
            hostArgs.Add(args[i]);
            break;
    }
}

if (configFile is not null && !File.Exists(configFile))
{
    Console.Error.WriteLine($"error: config file '{configFile}' does not exist");
    return 2;
}

var builder = Host.CreateApplicationBuilder([.. hostArgs]);
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

builder.Logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "HH:mm:ss.fff ";
});
builder.Services.AddSystemd();
builder.Services.AddOptions<RelayAgentOptions>().BindConfiguration(RelayAgentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
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
builder.Services.AddOptions<SnmpAgentOptions>().BindConfiguration(SnmpAgentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
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
builder.Services.AddOptions<LibvirtAgentOptions>().BindConfiguration(LibvirtAgentOptions.SectionName);
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
builder.Services.AddSingleton<MetricsSubscriptions>();
builder.Services.AddSingleton<CommandHandlerRegistry>();
builder.Services.AddSingleton<ExecutionJournal>();
builder.Services.AddSingleton<CommandExecutor>();
builder.Services.AddHostedService<SessionWorker>();
builder.Services.AddHostedService<HeartbeatWorker>();
builder.Services.AddHostedService<MetricsWorker>();

using var host = builder.Build();
try
{
    var agent = host.Services.GetRequiredService<IOptions<RelayAgentOptions>>().Value;
    var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Serverless.RelayAgent");
    Logs.Starting(logger, agent.AgentId, agent.AgentGroup, agent.TenantId, agent.QueueName, agent.ControlPlaneUrl,
        string.Join(", ", host.Services.GetRequiredService<CommandHandlerRegistry>().Kinds.Order()));
    var status = host.Services.GetRequiredService<AgentStatus>();
    await host.RunAsync();
    return status.CredentialRevoked ? AgentStatus.RevokedExitCode : 0;
}
catch (OptionsValidationException exception)
{
    Console.Error.WriteLine($"error: the relay agent's configuration is invalid:\n  {string.Join("\n  ", exception.Failures)}");
    return 2;
}
catch (DeviceProfileException exception)
{
    Console.Error.WriteLine($"error: a device profile is invalid: {exception.Message}");
    return 2;
}
