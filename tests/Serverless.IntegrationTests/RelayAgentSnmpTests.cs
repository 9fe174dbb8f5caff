using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// The relay agent process driving the test appliance (real snmpd) on commands that arrive through its Service Bus
/// session, with SNMP credentials it holds itself: in its environment and in a systemd credentials folder.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class RelayAgentSnmpTests(CommandChannelFixture fixture)
{
    private const string Credential = "sa1.0123456789abcdef0123456789abcdef.test-secret";
    private const string AuthPassword = "appliance-auth-7Q";
    private const string PrivPassword = "appliance-priv-9Z";

    [Fact]
    public async Task Snmp_commands_over_the_channel_verify_switch_and_poll_the_appliance_and_never_reveal_a_secret()
    {
        const string group = "snmp-site";
        await using var appliance = await LoadBalancerAppliance.StartAsync(members: 4, $"createUser lbadmin SHA-256 \"{AuthPassword}\" AES \"{PrivPassword}\"\nrwuser lbadmin priv");
        var folder = RepositoryPaths.NewScratchFolder("agent-snmp");
        try
        {
            // An operator's own profile: the shipped load balancer's, under another name, from the agent's profile folder.
            var profiles = Directory.CreateDirectory(Path.Combine(folder, "profiles")).FullName;
            var shipped = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(RepositoryPaths.RelayAgentAssembly)!, "Profiles", "simulated-load-balancer.json"));
            await File.WriteAllTextAsync(Path.Combine(profiles, "acme-lb.json"), shipped.Replace("\"simulated-load-balancer\"", "\"acme-lb\"", StringComparison.Ordinal));
            var credentials = Directory.CreateDirectory(Path.Combine(folder, "credentials")).FullName;
            await File.WriteAllTextAsync(Path.Combine(credentials, "RelayAgent__Snmp__Credentials__lb__PrivPassword"), PrivPassword);

            await using var uplink = await RecordingUplink.StartAsync();
            await using var agent = await RelayAgentProcess.StartAsync(new RelayAgentSettings(
                "agent-snmp", group, CommandChannelFixture.TenantId, fixture.AgentConnectionString, CommandChannelFixture.QueueName, uplink.BaseAddress, Credential,
                Environment: new Dictionary<string, string>
                {
                    ["RelayAgent__Snmp__ProfilesPath"] = profiles,
                    ["RelayAgent__Snmp__Credentials__lb__Version"] = "3",
                    ["RelayAgent__Snmp__Credentials__lb__User"] = "lbadmin",
                    ["RelayAgent__Snmp__Credentials__lb__AuthProtocol"] = "SHA-256",
                    ["RelayAgent__Snmp__Credentials__lb__AuthPassword"] = AuthPassword,
                    ["RelayAgent__Snmp__Credentials__lb__PrivProtocol"] = "AES",
                    ["CREDENTIALS_DIRECTORY"] = credentials,
                    ["Logging__LogLevel__Default"] = "Debug",
                }));

            var device = $$"""{"address":"127.0.0.1:{{appliance.Snmpd.EndPoint.Port}}","credential":"lb"}""";
            var verify = Command(group, CommandKinds.VerifyCapabilities, $$$"""{"snmp":{"device":{{{device}}},"profile":"acme-lb","members":["1","2"]}}""");
            var deactivate = Command(group, CommandKinds.DeactivateMember, $$$"""{"resourceId":"lb-2","snmp":{"device":{{{device}}},"profile":"acme-lb","index":"2"}}""");
            appliance.SteerLoad(3, connections: 1234, cpuPercent: 88);
            var targets = Enumerable.Range(1, 4).Select(i => $$$"""{"resourceId":"lb-{{{i}}}","snmp":{"device":{{{device}}},"profile":"acme-lb","index":"{{{i}}}"}}""");
            var poll = Command(group, CommandKinds.PollMetrics, $$"""{"targets":[{{string.Join(",", targets)}}]}""");
            var unknown = Command(group, CommandKinds.SnmpGet, """{"device":{"address":"127.0.0.1","credential":"plaintext-community"},"oids":["1.3.6.1.2.1.1.1.0"]}""");
            await SendAsync(group, verify, deactivate, poll, unknown);

            await Eventually.TrueAsync(() => uplink.Bodies("results").Count >= 4, TimeSpan.FromSeconds(60), "four results");
            var results = uplink.Bodies("results").Select(b => JsonSerializer.Deserialize(b, ContractsJsonContext.Default.CommandResult)!).ToDictionary(r => r.CommandId);

            var report = results[verify.CommandId].Output!.Value.Deserialize(ContractsJsonContext.Default.CapabilityVerificationResult)!;
            Assert.True(report.Reachable);
            Assert.Empty(report.Problems);
            Assert.Equal(verify.CommandId, report.CommandId);
            Assert.Equal("acme-lb", report.Capabilities["snmp.profile"]);

            Assert.Equal(CommandStatus.Succeeded, results[deactivate.CommandId].Status);
            Assert.Equal([1, 2, 1, 1], appliance.Members().Select(m => m.AdminState));

            var polled = results[poll.CommandId].Output!.Value.Deserialize(ContractsJsonContext.Default.MetricsPollOutput)!;
            Assert.Empty(polled.Failures);
            Assert.Equal(8, polled.Samples.Count);
            Assert.Equal(1234, polled.Samples.Single(s => s.ResourceId == "lb-3" && s.Metric == "connections.active").Value);

            Assert.Equal(CommandErrorKind.InvalidPayload, results[unknown.CommandId].Error!.Kind);
            Assert.Contains("no SNMP credential 'plaintext-community' (configured: lb)", results[unknown.CommandId].Error!.Message, StringComparison.Ordinal);

            await agent.StopAsync(TimeSpan.FromSeconds(20));
            Assert.Contains("Member lb-2 deactivated", agent.Output, StringComparison.Ordinal);
            foreach (var secret in new[] { AuthPassword, PrivPassword })
            {
                Assert.DoesNotContain(secret, agent.Output, StringComparison.Ordinal);
                Assert.All(uplink.Bodies("results"), body => Assert.DoesNotContain(secret, body, StringComparison.Ordinal));
            }
        }
        finally
        {
            RepositoryPaths.DeleteScratchFolder(folder);
        }
    }

    [Fact]
    public async Task An_agent_with_a_bad_credential_or_profile_stops_at_once_naming_the_setting_or_file_and_field()
    {
        var folder = RepositoryPaths.NewScratchFolder("agent-snmp-config");
        try
        {
            var config = Path.Combine(folder, "agent.json");
            await File.WriteAllTextAsync(config, $$"""
                { "RelayAgent": { "AgentId": "a1", "AgentGroup": "dc-1", "TenantId": "default", "ServiceBusConnection": "Endpoint=sb://localhost/;SharedAccessKeyName=k;SharedAccessKey=v",
                  "QueueName": "commands-default", "ControlPlaneUrl": "http://127.0.0.1:1/", "Credential": "sa1.x.y",
                  "Snmp": { "Credentials": { "core-switch": { "Version": "3", "User": "ops", "AuthProtocol": "SHA", "AuthPassword": "short" } } } } }
                """);
            await using (var agent = ChildProcess.Start("dotnet", [RepositoryPaths.RelayAgentAssembly, "--config", config], new Dictionary<string, string?>(), folder))
            {
                Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
                Assert.Equal(2, agent.ExitCode);
                Assert.Contains("RelayAgent:Snmp:Credentials:core-switch: An authentication password of at least 8 characters", agent.Output, StringComparison.Ordinal);
            }

            var profiles = Directory.CreateDirectory(Path.Combine(folder, "profiles")).FullName;
            await File.WriteAllTextAsync(Path.Combine(profiles, "broken.json"), """{ "schemaVersion": 1, "name": "broken", "verify": { "read": ["1.3.6.1.2.1.1.2.0"] }, "activate": [] }""");
            var environment = new Dictionary<string, string?>
            {
                ["RelayAgent__Snmp__Credentials__core-switch__AuthPassword"] = "long-enough-now",
                ["RelayAgent__Snmp__ProfilesPath"] = profiles,
            };
            await using (var agent = ChildProcess.Start("dotnet", [RepositoryPaths.RelayAgentAssembly, "--config", config], environment, folder))
            {
                Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
                Assert.Equal(2, agent.ExitCode);
                Assert.Contains("a device profile is invalid: broken.json: activate: list at least one set", agent.Output, StringComparison.Ordinal);
            }
        }
        finally
        {
            RepositoryPaths.DeleteScratchFolder(folder);
        }
    }

    private async Task SendAsync(string group, params CommandEnvelope[] commands)
    {
        await using var client = new ServiceBusClient(fixture.ServiceBus.ConnectionString);
        await using var sender = client.CreateSender(CommandChannelFixture.QueueName);
        foreach (var command in commands)
        {
            await sender.SendMessageAsync(new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(command, ContractsJsonContext.Default.CommandEnvelope))
            {
                MessageId = command.CommandId,
                SessionId = group,
            });
        }
    }

    private static CommandEnvelope Command(string group, string kind, string payload)
    {
        var id = Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        return new CommandEnvelope(
            SchemaVersions.Current, id, CommandChannelFixture.TenantId, group, kind, JsonDocument.Parse(payload).RootElement,
            now, now.AddMinutes(2), id, new CommandCorrelation(null, null), null);
    }
}
