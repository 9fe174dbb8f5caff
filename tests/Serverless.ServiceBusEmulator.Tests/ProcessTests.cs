using Azure.Messaging.ServiceBus;
using Serverless.Testing;

namespace Serverless.ServiceBusEmulator.Tests;

public sealed class ProcessTests
{
    [Fact]
    public async Task The_emulator_runs_as_its_own_process_and_the_official_client_works_across_processes()
    {
        await using var emulator = await ServiceBusEmulatorProcess.StartAsync(EmulatorFixture.Config);
        await using var client = EmulatorFixture.CreateClient(emulator.ConnectionString);
        await using var sender = client.CreateSender("sessions");
        await sender.SendMessageAsync(new ServiceBusMessage("across") { SessionId = "process" });
        await using var receiver = await client.AcceptNextSessionAsync("sessions");
        var message = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("across", message.Body.ToString());
        await receiver.CompleteMessageAsync(message);
    }

    [Fact]
    public async Task A_bad_config_file_stops_the_process_with_the_field_named()
    {
        var folder = RepositoryPaths.NewScratchFolder("servicebus-config");
        try
        {
            var config = Path.Combine(folder, "Config.json");
            await File.WriteAllTextAsync(config, """{ "UserConfig": { "Namespaces": [ { "Name": "n", "Queues": [ { "Name": "q", "Properties": { "LockDuration": "soon" } } ] } ] } }""");
            await using var process = ChildProcess.Start("dotnet", [RepositoryPaths.ServiceBusEmulatorAssembly, "--config", config, "--port", $"{FreePorts.Next()}"], new Dictionary<string, string?>(), folder);
            Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("UserConfig.Namespaces[0].Queues[0].Properties.LockDuration", process.Output, StringComparison.Ordinal);
        }
        finally
        {
            RepositoryPaths.DeleteScratchFolder(folder);
        }
    }
}
