using System.Net;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// The relay agent as operators get it: publish.sh's native file, installed by install.sh into a staging
/// root (enrolment with a one-time code, libvirt URIs, the unit and its drop-in), verified by systemd-analyze, started
/// from the installed file with the installed configuration, executing a command for the local system; then removed.
/// </summary>
[Collection(PackagingCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class RelayAgentPackagingTests(CommandChannelFixture fixture, PublishedRelayAgent published)
{
    private const string Zone = "packaged-site";
    private const string AgentId = "packaged-agent";

    [Fact]
    public async Task InstallScript_EnrolsChecksAndInstalls_AndTheInstalledAgentExecutesACommand()
    {
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, Zone);
        var code = await CreateEnrolmentCodeAsync();
        var stage = RepositoryPaths.NewScratchFolder("stage");
        try
        {
            var install = await RunInstallAsync(stage, "--url", fixture.Host.BaseAddress.ToString(), "--code", code, "--agent-id", AgentId, "--libvirt", "test:///default");

            Assert.True(install.ExitCode == 0, install.Output);
            Assert.Contains($"enrolled: agent {AgentId} of group {Zone}", install.Output, StringComparison.Ordinal);
            Assert.Contains("6 checks: 6 ok, 0 failed, 0 skipped", install.Output, StringComparison.Ordinal);
            var config = Path.Combine(stage, "etc", "relay-agent", "agent.json");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(config));
            var settings = JsonNode.Parse(await File.ReadAllTextAsync(config))!["RelayAgent"]!;
            Assert.Equal(fixture.AgentConnectionString, settings["ServiceBusConnection"]!.GetValue<string>());
            Assert.Equal("test:///default", settings["Libvirt"]!["Uris"]!["0"]!.GetValue<string>());
            Assert.Contains("SupplementaryGroups=libvirt", await File.ReadAllTextAsync(Path.Combine(stage, "etc", "systemd", "system", "relay-agent.service.d", "libvirt.conf")), StringComparison.Ordinal);
            Assert.Equal("/opt/relay-agent/relay-agent", new FileInfo(Path.Combine(stage, "usr", "local", "bin", "relay-agent")).LinkTarget);

            // Again, without a code: an upgrade in place that keeps the enrolment.
            var credential = settings["Credential"]!.GetValue<string>();
            var upgrade = await RunInstallAsync(stage, "--no-check");
            Assert.True(upgrade.ExitCode == 0, upgrade.Output);
            Assert.Equal(credential, JsonNode.Parse(await File.ReadAllTextAsync(config))!["RelayAgent"]!["Credential"]!.GetValue<string>());

            await using (var agent = ChildProcess.Start(Path.Combine(stage, "opt", "relay-agent", "relay-agent"), ["--config", config], new Dictionary<string, string?>(), stage))
            {
                await Eventually.TrueAsync(() => agent.Output.Contains("Holding session", StringComparison.Ordinal) || agent.HasExited, TimeSpan.FromSeconds(60), "the installed agent to take its session");
                Assert.False(agent.HasExited, agent.Output);

                var operationId = await Api.PingAsync(client, Zone);
                var operation = await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded") || Api.HasStatus(o, "failed"), TimeSpan.FromSeconds(60), "the ping");
                Assert.True(Api.HasStatus(operation, "succeeded"), operation.ToString());
                Assert.Contains(AgentId, operation.ToString(), StringComparison.Ordinal);

                await agent.StopAsync(TimeSpan.FromSeconds(20));
                Assert.True(agent.ExitCode == 0, agent.Output);
            }

            var uninstall = await RunInstallAsync(stage, "--uninstall", "--purge");
            Assert.True(uninstall.ExitCode == 0, uninstall.Output);
            Assert.False(Directory.Exists(Path.Combine(stage, "opt", "relay-agent")));
            Assert.False(File.Exists(config));
            Assert.False(File.Exists(Path.Combine(stage, "etc", "systemd", "system", "relay-agent.service")));
        }
        finally
        {
            RepositoryPaths.DeleteScratchFolder(stage);
        }
    }

    [Fact]
    public async Task ReleaseFolder_HoldsOneNativeFile_ThatRunsTheOperatorCommandsWithoutDotnet()
    {
        var agent = Path.Combine(published.Folder, "relay-agent");
        var sections = ElfFile.SectionNames(agent);
        Assert.Contains("__managedcode", sections);
        Assert.Empty(Directory.GetFiles(published.Folder, "*.dll"));

        // Run with an empty environment (no DOTNET_ROOT, no .NET settings): the file needs nothing of .NET on the host.
        const string Table = "1.3.6.1.4.1.8072.9999.7";
        await using var snmpd = await SnmpdProcess.StartAsync(string.Join('\n', Enumerable.Range(1, 300).Select(i => $"override .{Table}.1.{i} integer {i * 3}"))
            + "\ncreateUser nativeuser SHA-256 \"native-auth-pass\" AES \"native-priv-pass\"\nrouser nativeuser priv");
        var address = $"127.0.0.1:{snmpd.EndPoint.Port}";
        var walk = await RunNativeAsync(agent, "snmp", "bulkwalk", "-c", SnmpdProcess.ReadCommunity, address, Table);
        Assert.True(walk.ExitCode == 0, walk.Output);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => $".{Table}.1.{i} = INTEGER: {i * 3}"), walk.Output.Trim().Split('\n'));

        // SNMPv3 authPriv: SHA-256 and AES through the native file's cryptography.
        var get = await RunNativeAsync(agent, "snmp", "get", "-v", "3", "-u", "nativeuser", "-l", "authPriv", "-a", "SHA-256", "-A", "native-auth-pass", "-x", "AES", "-X", "native-priv-pass", address, $"{Table}.1.7");
        Assert.True(get.ExitCode == 0, get.Output);
        Assert.Equal($".{Table}.1.7 = INTEGER: 21", get.Output.Trim());

        var help = await RunNativeAsync(agent, "--help");
        Assert.True(help.ExitCode == 0, help.Output);
        Assert.Contains("Usage: relay-agent [--config FILE]", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstalledUnit_PassesSystemdAnalyzeVerify()
    {
        var stage = RepositoryPaths.NewScratchFolder("stage-verify");
        try
        {
            // An enrolled configuration, so the script installs without a code; the check is not what this test is about.
            Directory.CreateDirectory(Path.Combine(stage, "etc", "relay-agent"));
            await File.WriteAllTextAsync(Path.Combine(stage, "etc", "relay-agent", "agent.json"), """{ "RelayAgent": { "Credential": "sa1.x.y" } }""");
            var install = await RunInstallAsync(stage, "--no-check", "--libvirt", "qemu:///system");
            Assert.True(install.ExitCode == 0, install.Output);

            // verify resolves the unit's dependencies (network-online.target, multi-user.target…) in the same root.
            CopyDirectory("/usr/lib/systemd/system", Path.Combine(stage, "usr", "lib", "systemd", "system"));
            await using var verify = ChildProcess.Start(
                "systemd-analyze", ["verify", $"--root={stage}", Path.Combine(stage, "etc", "systemd", "system", "relay-agent.service")], new Dictionary<string, string?>(), stage);
            Assert.True(await verify.WaitForExitAsync(TimeSpan.FromSeconds(60)));

            // verify reports unknown or malformed settings as warnings with exit code 0: a clean unit prints nothing.
            Assert.True(verify.ExitCode == 0 && verify.Output.Trim().Length == 0, $"systemd-analyze verify (exit {verify.ExitCode}):\n{verify.Output}");
        }
        finally
        {
            RepositoryPaths.DeleteScratchFolder(stage);
        }
    }

    [Fact]
    public async Task InstallScript_WithAFailingCheckOrMissingArguments_StopsBeforeStartingAndSaysWhy()
    {
        var stage = RepositoryPaths.NewScratchFolder("stage-refused");
        try
        {
            var notEnrolled = await RunInstallAsync(stage);
            Assert.Equal(2, notEnrolled.ExitCode);
            Assert.Contains("this host is not enrolled yet: give --url, --code and --agent-id", notEnrolled.Output, StringComparison.Ordinal);

            var codeAlone = await RunInstallAsync(stage, "--code", "en1.a.b");
            Assert.Equal(2, codeAlone.ExitCode);
            Assert.Contains("--code needs --url and --agent-id", codeAlone.Output, StringComparison.Ordinal);

            // Enrolled before, but the control plane does not know the credential: the check fails and nothing starts.
            Directory.CreateDirectory(Path.Combine(stage, "etc", "relay-agent"));
            await File.WriteAllTextAsync(Path.Combine(stage, "etc", "relay-agent", "agent.json"), $$"""
                { "RelayAgent": { "AgentId": "stale", "AgentGroup": "{{Zone}}", "TenantId": "default", "QueueName": "commands-default",
                  "ServiceBusConnection": "{{fixture.AgentConnectionString}}", "ControlPlaneUrl": "{{fixture.Host.BaseAddress}}",
                  "Credential": "sa1.0123456789abcdef0123456789abcdef.unknown" } }
                """);
            var refused = await RunInstallAsync(stage);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("FAIL  credential: the control plane refused RelayAgent:Credential", refused.Output, StringComparison.Ordinal);
            Assert.Contains("install: installed, but a check failed (see the fix on its line); the service was not started.", refused.Output, StringComparison.Ordinal);
        }
        finally
        {
            RepositoryPaths.DeleteScratchFolder(stage);
        }
    }

    private async Task<string> CreateEnrolmentCodeAsync()
    {
        using var admin = fixture.Host.CreateClient(LocalHostProcess.MasterKey);
        using var response = await admin.PostAsync(new Uri("api/v1/enrolments", UriKind.Relative), Api.Json($$"""{"zone":"{{Zone}}","usageLimit":1}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Api.ReadJsonAsync(response)).GetProperty("code").GetString()!;
    }

    private async Task<(int ExitCode, string Output)> RunInstallAsync(string stage, params string[] arguments)
    {
        await using var install = ChildProcess.Start("bash", [Path.Combine(published.Folder, "install.sh"), "--root", stage, .. arguments], new Dictionary<string, string?>(), stage);
        Assert.True(await install.WaitForExitAsync(TimeSpan.FromSeconds(120)), $"install.sh did not finish:\n{install.Output}");
        return (install.ExitCode, install.Output);
    }

    private static async Task<(int ExitCode, string Output)> RunNativeAsync(string agent, params string[] arguments)
    {
        await using var process = ChildProcess.Start("env", ["-i", "PATH=/usr/bin:/bin", agent, .. arguments], new Dictionary<string, string?>(), Path.GetTempPath());
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"relay-agent {string.Join(' ', arguments)} did not finish:\n{process.Output}");
        return (process.ExitCode, process.Output);
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(target, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(destination, link);
            }
            else if (entry is DirectoryInfo directory)
            {
                CopyDirectory(directory.FullName, destination);
            }
            else
            {
                File.Copy(entry.FullName, destination);
            }
        }
    }
}
