using Azure.Messaging.ServiceBus;

namespace Serverless.ServiceBusEmulator.Tests;

public sealed class AuthorizationTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task An_entity_key_works_on_its_own_queue()
    {
        await using var client = EmulatorFixture.CreateClient(fixture.Host.ConnectionString("agents", EmulatorFixture.TenantAKey, "tenant-a"));
        await using var sender = client.CreateSender("tenant-a");
        await sender.SendMessageAsync(new ServiceBusMessage("hello") { SessionId = "group" });
        await using var receiver = await client.AcceptSessionAsync("tenant-a", "group");
        var received = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("hello", received?.Body.ToString());
        await receiver.CompleteMessageAsync(received);
        Assert.Equal(0, fixture.Host.CountMessages("tenant-a"));
    }

    [Fact]
    public async Task A_credential_for_queue_a_is_refused_on_queue_b()
    {
        await using var client = EmulatorFixture.CreateClient(fixture.Host.ConnectionString("agents", EmulatorFixture.TenantAKey, "tenant-a"));
        await using var sender = fixture.Client.CreateSender("tenant-b");
        await sender.SendMessageAsync(new ServiceBusMessage("secret of b") { SessionId = "group" });

        // The client refuses a foreign entity name itself when the connection string names one; without EntityPath
        // the token is signed for the namespace, which an entity key may not do.
        await using var namespaceScoped = EmulatorFixture.CreateClient(fixture.Host.ConnectionString("agents", EmulatorFixture.TenantAKey));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => namespaceScoped.AcceptSessionAsync("tenant-b", "group"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => namespaceScoped.AcceptSessionAsync("tenant-a", "group"));

        // Same key name as tenant-b's own policy, but tenant-a's key: the signature does not match.
        await using var forged = EmulatorFixture.CreateClient(fixture.Host.ConnectionString("agents", EmulatorFixture.TenantAKey, "tenant-b"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => forged.AcceptSessionAsync("tenant-b", "group"));
        Assert.Equal(1, fixture.Host.CountMessages("tenant-b"));
    }

    [Fact]
    public async Task A_send_only_key_cannot_receive()
    {
        await using var client = EmulatorFixture.CreateClient(fixture.Host.ConnectionString("dispatcher", EmulatorFixture.TenantASendOnlyKey, "tenant-a"));
        await using var sender = client.CreateSender("tenant-a");
        await sender.SendMessageAsync(new ServiceBusMessage("command") { SessionId = "send-only" });
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => client.AcceptSessionAsync("tenant-a", "send-only"));
    }

    [Fact]
    public async Task A_wrong_namespace_key_is_refused()
    {
        await using var client = EmulatorFixture.CreateClient(fixture.Host.ConnectionString("RootManageSharedAccessKey", "not-the-key"));
        await using var sender = client.CreateSender("plain");
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => sender.SendMessageAsync(new ServiceBusMessage("x")));
    }
}
