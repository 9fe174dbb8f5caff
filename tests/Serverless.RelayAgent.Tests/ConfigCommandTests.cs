using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Serverless.RelayAgent.Configuration;

namespace Serverless.RelayAgent.Tests;

/// <summary><c>relay-agent config set|unset</c>: settings change by path, others stay, the file never becomes readable by others.</summary>
[SupportedOSPlatform("linux")]
public sealed class ConfigCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("config-command-").FullName;

    private string ConfigPath => Path.Combine(_folder, "agent.json");

    [Fact]
    public async Task Set_NewFile_WritesNestedSettingsReadableByTheOwnerOnly()
    {
        var (exitCode, _, error) = await RunAsync("set", "--config", ConfigPath, "RelayAgent:Libvirt:Uris:0=qemu:///system", "RelayAgent:HeartbeatIntervalSeconds=30");

        Assert.True(exitCode == 0, error);
        var root = JsonNode.Parse(await File.ReadAllTextAsync(ConfigPath))!;
        Assert.Equal("qemu:///system", root["RelayAgent"]!["Libvirt"]!["Uris"]!["0"]!.GetValue<string>());
        Assert.Equal("30", root["RelayAgent"]!["HeartbeatIntervalSeconds"]!.GetValue<string>());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
    }

    [Fact]
    public async Task Unset_ExistingFile_RemovesTheSectionKeepsTheRestAndTheGroupsRead()
    {
        await File.WriteAllTextAsync(ConfigPath, """{ "RelayAgent": { "Credential": "sa1.a.b", "Libvirt": { "Uris": { "0": "a", "1": "b" } } } }""");
        File.SetUnixFileMode(ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead);

        var (exitCode, output, error) = await RunAsync("unset", "--config", ConfigPath, "RelayAgent:Libvirt:Uris");

        Assert.True(exitCode == 0, error);
        Assert.Contains("unset RelayAgent:Libvirt:Uris", output, StringComparison.Ordinal);
        var agent = JsonNode.Parse(await File.ReadAllTextAsync(ConfigPath))!["RelayAgent"]!;
        Assert.Equal("sa1.a.b", agent["Credential"]!.GetValue<string>());
        Assert.Null(agent["Libvirt"]!["Uris"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(ConfigPath));
    }

    [Theory]
    [InlineData("set", "NoValue")]
    [InlineData("set", "=value")]
    [InlineData("set", "RelayAgent::X=1")]
    [InlineData("unset", "RelayAgent:X=1")]
    [InlineData("remove", "RelayAgent:X")]
    public async Task BadArguments_AreAUsageErrorAndTouchNothing(string verb, string argument)
    {
        var (exitCode, _, error) = await RunAsync(verb, "--config", ConfigPath, argument);

        Assert.Equal(2, exitCode);
        Assert.Contains("Usage: relay-agent config", error, StringComparison.Ordinal);
        Assert.False(File.Exists(ConfigPath));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ConfigCommand.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
