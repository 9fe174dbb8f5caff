using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Snmp;
using Serverless.Snmp;
using Serverless.Testing;

namespace Serverless.RelayAgent.Tests;

/// <summary>
/// The test appliance (real snmpd with the load balancer's member table) and the agent's SNMP handlers wired as the agent
/// wires them, with named credentials in configuration. Tests use distinct members so they can share the appliance.
/// </summary>
public sealed class SnmpHandlerFixture : IAsyncLifetime
{
    public const string ReadWrite = "lb-rw";
    public const string ReadOnly = "lb-ro";
    public const string V3 = "lb-v3";
    public const string WrongCommunity = "lb-wrong-community";
    public const string WrongPassword = "lb-wrong-password";
    public const string V3AuthPassword = "sha256-auth-pass";
    public const string V3PrivPassword = "aes-priv-pass-1";

    public LoadBalancerAppliance Appliance { get; private set; } = null!;

    public SnmpClient Client { get; private set; } = null!;

    public IOptions<SnmpAgentOptions> Options { get; private set; } = null!;

    public string Address => $"127.0.0.1:{Appliance.Snmpd.EndPoint.Port}";

    public async Task InitializeAsync()
    {
        Appliance = await LoadBalancerAppliance.StartAsync(members: 8, $"createUser lbadmin SHA-256 \"{V3AuthPassword}\" AES \"{V3PrivPassword}\"\nrwuser lbadmin priv");
        Options = Microsoft.Extensions.Options.Options.Create(new SnmpAgentOptions
        {
            TimeoutMilliseconds = 1500,
            Retries = 1,
            MaxOidsPerRequest = 5,
            Credentials = new(StringComparer.OrdinalIgnoreCase)
            {
                [ReadWrite] = new() { Version = "2c", Community = SnmpdProcess.WriteCommunity },
                [ReadOnly] = new() { Version = "2c", Community = SnmpdProcess.ReadCommunity },
                [V3] = new() { Version = "3", User = "lbadmin", AuthProtocol = "SHA-256", AuthPassword = V3AuthPassword, PrivProtocol = "AES", PrivPassword = V3PrivPassword },
                [WrongCommunity] = new() { Version = "2c", Community = "not-the-community" },
                [WrongPassword] = new() { Version = "3", User = "lbadmin", AuthProtocol = "SHA-256", AuthPassword = "not-the-password", PrivProtocol = "AES", PrivPassword = V3PrivPassword },
            },
        });
        Client = new SnmpClient(new SnmpClientOptions(TimeSpan.FromSeconds(1), 1));
    }

    public async Task DisposeAsync()
    {
        Hosts.Dispose();
        await Client.DisposeAsync();
        await Appliance.DisposeAsync();
    }

    public const string UnreachableHost = "qemu+tcp://127.0.0.1:1/system";

    /// <summary>The test driver's host and one that cannot be reached, as the agent's configured libvirt URIs.</summary>
    public LibvirtHosts Hosts { get; } = new(Microsoft.Extensions.Options.Options.Create(new LibvirtAgentOptions { Uris = ["test:///default", UnreachableHost] }));

    public SnmpDevices Devices => new(Options);

    public DeviceProfileCatalog Profiles => new(Options);

    public ICommandHandler Handler(string kind) => kind switch
    {
        CommandKinds.SnmpGet => new SnmpGetHandler(Client, Devices),
        CommandKinds.SnmpSet => new SnmpSetHandler(Client, Devices),
        CommandKinds.SnmpWalk => new SnmpWalkHandler(Client, Devices),
        CommandKinds.ActivateMember => new MemberActionHandler(true, Client, Devices, Profiles, NullLogger<MemberActionHandler>.Instance),
        CommandKinds.DeactivateMember => new MemberActionHandler(false, Client, Devices, Profiles, NullLogger<MemberActionHandler>.Instance),
        CommandKinds.VerifyCapabilities => new CapabilitiesVerifyHandler(
            Client, Devices, Profiles, new LibvirtVerifier(Hosts), Options, NullLogger<CapabilitiesVerifyHandler>.Instance),
        _ => throw new ArgumentException(kind, nameof(kind)),
    };

    public async Task<JsonElement> ExecuteAsync(string kind, string payload, ICommandHandler? handler = null) =>
        await (handler ?? Handler(kind)).ExecuteAsync(Envelope(kind, payload), CancellationToken.None);

    public static CommandEnvelope Envelope(string kind, string payload)
    {
        var id = Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        return new CommandEnvelope(SchemaVersions.Current, id, "contoso", "site-a", kind, JsonDocument.Parse(payload).RootElement, now, now.AddMinutes(1), id,
            new CommandCorrelation(null, null), null);
    }

    public string Device(string credential, string? address = null, string timing = "") =>
        $$"""{"address":"{{address ?? Address}}","credential":"{{credential}}"{{timing}}}""";
}
