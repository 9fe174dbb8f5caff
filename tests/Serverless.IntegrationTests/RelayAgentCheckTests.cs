using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// <c>relay-agent check</c> against the real local system (host, Service Bus emulator, snmpd, libvirt's test driver):
/// every line ok when the configuration is right; each failure kind reported on its own line with its fix.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class RelayAgentCheckTests(CommandChannelFixture fixture)
{
    private const string Zone = "check-site";
    private const string AgentId = "check-agent";

    [Fact]
    public async Task Check_WithEverythingRight_PassesEveryLine()
    {
        await using var snmpd = await SnmpdProcess.StartAsync();
        var environment = await ValidEnvironmentAsync();

        var (exitCode, output) = await RunCheckAsync(environment, "--snmp", $"{snmpd.EndPoint}=lb");

        Assert.True(exitCode == 0, output);
        Assert.Contains($"ok    configuration: agent {AgentId} of group {Zone}, tenant default, queue {CommandChannelFixture.QueueName}.", output, StringComparison.Ordinal);
        Assert.Contains($"ok    control plane: {fixture.Host.BaseAddress} answers (status healthy).", output, StringComparison.Ordinal);
        Assert.Contains($"ok    credential: accepted: agent {AgentId} of group {Zone}, tenant default", output, StringComparison.Ordinal);
        Assert.Contains($"ok    service bus: ", output, StringComparison.Ordinal);
        Assert.Contains("ok    libvirt test:///default: TEST ", output, StringComparison.Ordinal);
        Assert.Contains($"ok    snmp {snmpd.EndPoint}: answers with credential 'lb'", output, StringComparison.Ordinal);
        Assert.Contains("ok    clock: within 5 s of the control plane's", output, StringComparison.Ordinal);
        Assert.EndsWith("7 checks: 7 ok, 0 failed, 0 skipped", output.TrimEnd(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Failures() => new()
    {
        { "wrong url", "FAIL  control plane: cannot reach http://127.0.0.1:", "check the scheme, host and port in RelayAgent:ControlPlaneUrl" },
        { "wrong credential", "FAIL  credential: the control plane refused RelayAgent:Credential", "set RelayAgent:Credential to the token enrolment wrote" },
        { "wrong service bus key", "FAIL  service bus: 127.0.0.1 refused the key", "set RelayAgent:ServiceBusConnection to the queue's Listen-only connection string" },
        { "unreachable libvirt uri", "FAIL  libvirt qemu+tcp://127.0.0.1:", "check the URI in RelayAgent:Libvirt:Uris and that libvirtd" },
        { "snmp timeout", "FAIL  snmp 127.0.0.1:", "check the address and UDP port, that the device allows SNMP from this host" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Check_WithOneThingWrong_FailsThatLineWithItsFix(string wrong, string failure, string fix)
    {
        var environment = await ValidEnvironmentAsync();
        var arguments = new List<string>();
        switch (wrong)
        {
            case "wrong url":
                environment["RelayAgent__ControlPlaneUrl"] = $"http://127.0.0.1:{FreePorts.Next()}/";
                break;
            case "wrong credential":
                environment["RelayAgent__Credential"] = "sa1.0123456789abcdef0123456789abcdef.not-the-secret";
                break;
            case "wrong service bus key":
                environment["RelayAgent__ServiceBusConnection"] = fixture.ServiceBus.ConnectionStringFor(CommandChannelFixture.AgentKeyName, "not-the-key", CommandChannelFixture.QueueName);
                break;
            case "unreachable libvirt uri":
                environment["RelayAgent__Libvirt__Uris__0"] = $"qemu+tcp://127.0.0.1:{FreePorts.Next()}/system";
                break;
            case "snmp timeout":
                arguments.AddRange(["--snmp", $"127.0.0.1:{FreePorts.Udp()}=lb"]);
                break;
        }

        var (exitCode, output) = await RunCheckAsync(environment, [.. arguments]);

        Assert.True(exitCode == 1, output);
        var line = output.Split('\n').SingleOrDefault(l => l.StartsWith(failure, StringComparison.Ordinal));
        Assert.True(line is not null, $"no line starts with '{failure}':\n{output}");
        Assert.Contains($" Fix: {fix}", line, StringComparison.Ordinal);
        Assert.Single(output.Split('\n'), l => l.StartsWith("FAIL", StringComparison.Ordinal));
        if (wrong == "wrong url")
        {
            Assert.Contains("skip  clock: the control plane is not reachable.", output, StringComparison.Ordinal);
            Assert.Contains("skip  credential: the control plane is not reachable.", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Check_WithAnInvalidConfiguration_NamesEveryBadSettingAndSkipsTheRest()
    {
        var environment = await ValidEnvironmentAsync();
        environment["RelayAgent__AgentId"] = "Not An Id";
        environment["RelayAgent__QueueName"] = string.Empty;

        var (exitCode, output) = await RunCheckAsync(environment);

        Assert.True(exitCode == 1, output);
        Assert.Contains("FAIL  configuration: invalid: AgentId: ", output, StringComparison.Ordinal);
        Assert.Contains("QueueName: The QueueName field is required.", output, StringComparison.Ordinal);
        Assert.Contains("skip  service bus: the configuration is invalid.", output, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string?>> ValidEnvironmentAsync()
    {
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, Zone);
        using var admin = fixture.Host.CreateClient(LocalHostProcess.MasterKey);
        using var issued = await admin.PostAsync(new Uri("api/v1/agents/credentials", UriKind.Relative), Api.Json($$"""{"agentId":"{{AgentId}}","agentGroup":"{{Zone}}"}"""));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        return new Dictionary<string, string?>
        {
            ["RelayAgent__AgentId"] = AgentId,
            ["RelayAgent__AgentGroup"] = Zone,
            ["RelayAgent__TenantId"] = CommandChannelFixture.TenantId,
            ["RelayAgent__QueueName"] = CommandChannelFixture.QueueName,
            ["RelayAgent__ServiceBusConnection"] = fixture.AgentConnectionString,
            ["RelayAgent__ControlPlaneUrl"] = fixture.Host.BaseAddress.ToString(),
            ["RelayAgent__Credential"] = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString(),
            ["RelayAgent__Libvirt__Uris__0"] = "test:///default",
            ["RelayAgent__Snmp__Credentials__lb__Version"] = "2c",
            ["RelayAgent__Snmp__Credentials__lb__Community"] = SnmpdProcess.ReadCommunity,
            ["RelayAgent__Snmp__TimeoutMilliseconds"] = "300",
            ["RelayAgent__Snmp__Retries"] = "1",
        };
    }

    private static async Task<(int ExitCode, string Output)> RunCheckAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var folder = RepositoryPaths.NewScratchFolder("check");
        try
        {
            await using var check = ChildProcess.Start("dotnet", [RepositoryPaths.RelayAgentAssembly, "check", "--timeout", "10", .. arguments], environment, folder);
            Assert.True(await check.WaitForExitAsync(TimeSpan.FromSeconds(90)), $"relay-agent check did not finish:\n{check.Output}");
            return (check.ExitCode, check.Output);
        }
        finally
        {
            RepositoryPaths.DeleteScratchFolder(folder);
        }
    }
}
