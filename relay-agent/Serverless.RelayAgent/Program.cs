using Microsoft.Extensions.Options;
using Serverless.RelayAgent;
using Serverless.RelayAgent.Checks;
using Serverless.RelayAgent.Configuration;
using Serverless.RelayAgent.Handlers;
using Serverless.Snmp.Profiles;

const string Usage = """
    Relay agent: holds its agent group's Service Bus session, executes commands, reports over HTTPS.

    Usage: relay-agent [--config FILE]
           relay-agent snmp get|getnext|walk|bulkwalk|set ...   (check a device; "snmp" alone for help)
           relay-agent enrol --url URL --code CODE --agent-id ID [--config FILE]   (exchange an enrolment code)
           relay-agent config set|unset [--config FILE] KEY[=VALUE] ...   (change the configuration file)
           relay-agent check [--config FILE] [--snmp ADDRESS=CREDENTIAL ...]   (test everything the agent needs)

      --config FILE   JSON configuration with a "RelayAgent" section; environment variables such as
                      RelayAgent__Credential override it (use them for secrets)

    Settings (section RelayAgent): AgentId, AgentGroup, TenantId, QueueName, ServiceBusConnection,
    ControlPlaneUrl, Credential, HeartbeatIntervalSeconds (60), StandbyRetrySeconds (2),
    ShutdownGraceSeconds (10), JournalPath (optional).
    SNMP (section RelayAgent:Snmp): Credentials:NAME:{Version, Community, User, AuthProtocol, AuthPassword,
    PrivProtocol, PrivPassword, ContextName}, ProfilesPath (optional folder of device profiles),
    TimeoutMilliseconds (1000), Retries (2), MaxOidsPerRequest (48), PollParallelism (64).
    libvirt (section RelayAgent:Libvirt): Uris (the libvirt URIs commands may name, e.g. Uris:0=qemu:///system),
    Images:NAME (pool/volume of an image's base volume), Network (optional), StateDirectory (where migrations keep
    saved state; default $STATE_DIRECTORY/migrations, else /var/lib/relay-agent/migrations).

    Telemetry: OTEL_EXPORTER_OTLP_ENDPOINT (and the other standard OTEL_* variables) exports traces, metrics
    and logs over OTLP; unset, nothing is exported.

    Secrets can also come from files in $CREDENTIALS_DIRECTORY (systemd LoadCredential=), one per setting,
    named like the environment variable (RelayAgent__Snmp__Credentials__lb__Community).

    Runs as a systemd service (Type=notify) or in a terminal; stops cleanly on SIGTERM. Exits with 3 when the control
    plane has revoked its credential (its zone's agents were removed), 2 when its configuration is invalid.
    """;

if (args is ["enrol", ..])
{
    return await Serverless.RelayAgent.Enrolment.EnrolCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

if (args is ["config", ..])
{
    return await Serverless.RelayAgent.Configuration.ConfigCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

if (args is ["check", ..])
{
    return await CheckCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

if (args is ["snmp", ..])
{
    // One-shot, and nothing else here uses a socket: completions may run on the socket engine's own thread, which
    // saves a thread hop per request (most of a long walk's cost). Read once, when the first socket is made.
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
    if (!Console.IsOutputRedirected)
    {
        return await Serverless.RelayAgent.Snmp.SnmpCommand.RunAsync(args[1..], Console.Out, Console.Error);
    }

    // A walk prints a line per value: piped, it is written in blocks (as C's stdio does), not a syscall per line.
    await using var piped = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 64 * 1024);
    return await Serverless.RelayAgent.Snmp.SnmpCommand.RunAsync(args[1..], piped, Console.Error);
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

using var host = AgentHost.CreateBuilder(configFile, hostArgs).Build();
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
    Console.Error.WriteLine($"error: the relay agent's configuration is invalid:\n  {string.Join("\n  ", exception.Failures.Select(OptionsFailures.Describe))}");
    return 2;
}
catch (DeviceProfileException exception)
{
    Console.Error.WriteLine($"error: a device profile is invalid: {exception.Message}");
    return 2;
}
