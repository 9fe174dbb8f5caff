using Microsoft.Extensions.Options;
using Serverless.RelayAgent.Configuration;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Snmp;
using Serverless.RelayAgent.Uplink;
using Serverless.Snmp;
using Serverless.Snmp.Profiles;

namespace Serverless.RelayAgent.Checks;

/// <summary>
/// <c>relay-agent check</c>: tests everything the agent needs with the configuration the service would run with, one
/// line per check and a fix for each failure. Exit 0 when all pass, 1 when one fails, 2 on a usage mistake.
/// </summary>
public static class CheckCommand
{
    public const string Usage = """
        Usage: relay-agent check [--config FILE] [--snmp ADDRESS=CREDENTIAL ...] [--timeout SECONDS]

          --config    the agent's configuration file, as the service is started with (default: appsettings.json
                      beside the agent, environment variables and $CREDENTIALS_DIRECTORY only)
          --snmp      an appliance to read (sysDescr, sysObjectID) with one of the agent's named SNMP credentials,
                      for example --snmp 10.0.0.7:161=core-lb; repeat for more
          --timeout   how long each network check may take (default 15)

        Checks, in order: the configuration (every bad setting named), the control plane at ControlPlaneUrl, this
        host's clock against the control plane's (within 5 s), the credential (and that it belongs to this AgentId, AgentGroup, TenantId and QueueName), the Service Bus session
        of the group, every libvirt URI in Libvirt:Uris, and every --snmp appliance.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        string? configFile = null;
        var appliances = new List<(string Address, string Credential)>();
        var timeout = TimeSpan.FromSeconds(15);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h":
                    await output.WriteLineAsync(Usage);
                    return 0;
                case "--config" when i + 1 < args.Count:
                    configFile = Path.GetFullPath(args[++i]);
                    break;
                case "--snmp" when i + 1 < args.Count && args[i + 1].LastIndexOf('=') is > 0 and var split && split < args[i + 1].Length - 1:
                    appliances.Add((args[i + 1][..split], args[i + 1][(split + 1)..]));
                    i++;
                    break;
                case "--timeout" when i + 1 < args.Count && int.TryParse(args[i + 1], out var seconds) && seconds is >= 1 and <= 300:
                    timeout = TimeSpan.FromSeconds(seconds);
                    i++;
                    break;
                default:
                    await error.WriteLineAsync($"check: unexpected '{args[i]}' (--snmp takes ADDRESS=CREDENTIAL, --timeout 1 to 300)\n{Usage}");
                    return 2;
            }
        }

        if (configFile is not null && !File.Exists(configFile))
        {
            await error.WriteLineAsync($"check: config file '{configFile}' does not exist");
            return 2;
        }

        var host = AgentHost.CreateBuilder(configFile, [], logToConsole: false).Build();
        try
        {
            var outcomes = new List<CheckOutcome>();
            await foreach (var outcome in RunChecksAsync(host.Services, appliances, timeout))
            {
                outcomes.Add(outcome);
                await output.WriteLineAsync(outcome.ToString());
            }

            var failed = outcomes.Count(o => o.Status == CheckStatus.Failed);
            await output.WriteLineAsync($"{outcomes.Count} checks: {outcomes.Count(o => o.Status == CheckStatus.Ok)} ok, {failed} failed, {outcomes.Count(o => o.Status == CheckStatus.Skipped)} skipped");
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            await ((IAsyncDisposable)host).DisposeAsync();
        }
    }

    private static async IAsyncEnumerable<CheckOutcome> RunChecksAsync(IServiceProvider services, IReadOnlyList<(string Address, string Credential)> appliances, TimeSpan timeout)
    {
        var agent = Validate(services.GetRequiredService<IOptions<RelayAgentOptions>>, "configuration", out var agentProblem);
        var snmp = Validate(services.GetRequiredService<IOptions<SnmpAgentOptions>>, "configuration", out var snmpProblem);
        var profiles = snmpProblem is null ? ValidateProfiles(services) : null;
        yield return agentProblem ?? snmpProblem ?? profiles ?? CheckOutcome.Ok("configuration", $"agent {agent!.AgentId} of group {agent.AgentGroup}, tenant {agent.TenantId}, queue {agent.QueueName}.");

        if (agent is null)
        {
            yield return CheckOutcome.Skipped(ControlPlaneCheck.Reachable, "the configuration is invalid.");
            yield return CheckOutcome.Skipped(ControlPlaneCheck.Clock, "the configuration is invalid.");
            yield return CheckOutcome.Skipped(ControlPlaneCheck.Credential, "the configuration is invalid.");
            yield return CheckOutcome.Skipped(ServiceBusCheck.Name, "the configuration is invalid.");
        }
        else
        {
            using var http = new HttpClient();
            UplinkClient.Configure(http, agent);
            http.Timeout = timeout;
            var (reachable, clock) = await ControlPlaneCheck.ReachAsync(http, TimeProvider.System, CancellationToken.None);
            yield return reachable;
            yield return clock;
            yield return reachable.Status == CheckStatus.Ok
                ? await ControlPlaneCheck.AuthenticateAsync(http, agent, CancellationToken.None)
                : CheckOutcome.Skipped(ControlPlaneCheck.Credential, "the control plane is not reachable.");
            yield return await ServiceBusCheck.RunAsync(agent, timeout, CancellationToken.None);
        }

        foreach (var uri in services.GetRequiredService<IOptions<LibvirtAgentOptions>>().Value.Uris)
        {
            yield return LibvirtCheck.Run(uri);
        }

        foreach (var (address, credential) in appliances)
        {
            if (snmp is null)
            {
                yield return CheckOutcome.Skipped($"snmp {address}", "the SNMP configuration is invalid.");
                continue;
            }

            using var deadline = new CancellationTokenSource(timeout);
            yield return await SnmpCheck.RunAsync(services.GetRequiredService<SnmpDevices>(), services.GetRequiredService<SnmpClient>(), address, credential, deadline.Token);
        }
    }

    private static T? Validate<T>(Func<IOptions<T>> options, string name, out CheckOutcome? problem)
        where T : class
    {
        try
        {
            problem = null;
            return options().Value;
        }
        catch (OptionsValidationException exception)
        {
            problem = CheckOutcome.Failed(name, $"invalid: {string.Join(" ", exception.Failures.Select(OptionsFailures.Describe))}",
                "set the named settings in the config file or as environment variables (RelayAgent__Name), then check again.");
            return null;
        }
    }

    private static CheckOutcome? ValidateProfiles(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<DeviceProfileCatalog>();
            return null;
        }
        catch (DeviceProfileException exception)
        {
            return CheckOutcome.Failed("configuration", $"a device profile is invalid: {exception.Message}", "correct the profile file named, or remove it from RelayAgent:Snmp:ProfilesPath.");
        }
    }
}
