using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;

namespace Serverless.ServiceBusEmulator.Tests;

public sealed class SessionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Accept_next_takes_the_oldest_session_and_keeps_fifo_within_it()
    {
        await using var sender = fixture.Client.CreateSender("sessions");
        for (var i = 0; i < 3; i++)
        {
            await sender.SendMessageAsync(new ServiceBusMessage($"first-{i}") { SessionId = "group-1" });
        }

        await sender.SendMessagesAsync([new ServiceBusMessage("second-0") { SessionId = "group-2" }, new ServiceBusMessage("second-1") { SessionId = "group-2" }]);

        await using var first = await fixture.Client.AcceptNextSessionAsync("sessions");
        Assert.Equal("group-1", first.SessionId);
        Assert.True(first.SessionLockedUntil > DateTimeOffset.UtcNow);
        var received = await ReceiveAsync(first, 3);
        Assert.Equal(["first-0", "first-1", "first-2"], received.Select(m => m.Body.ToString()));
        Assert.All(received, m => Assert.Equal("group-1", m.SessionId));

        await using var second = await fixture.Client.AcceptNextSessionAsync("sessions");
        Assert.Equal("group-2", second.SessionId);
        var others = await ReceiveAsync(second, 2);
        Assert.Equal(["second-0", "second-1"], others.Select(m => m.Body.ToString()));
        foreach (var message in received)
        {
            await first.CompleteMessageAsync(message);
        }

        foreach (var message in others)
        {
            await second.CompleteMessageAsync(message);
        }
    }

    [Fact]
    public async Task A_locked_session_cannot_be_accepted_twice_and_is_free_again_after_close_with_its_state()
    {
        await using var holder = await fixture.Client.AcceptSessionAsync("sessions", "exclusive");
        await holder.SetSessionStateAsync(BinaryData.FromString("checkpoint-7"));
        var error = await Assert.ThrowsAsync<ServiceBusException>(() => fixture.Client.AcceptSessionAsync("sessions", "exclusive"));
        Assert.Equal(ServiceBusFailureReason.SessionCannotBeLocked, error.Reason);

        var before = holder.SessionLockedUntil;
        await Task.Delay(50);
        await holder.RenewSessionLockAsync();
        Assert.True(holder.SessionLockedUntil > before);
        await holder.CloseAsync();

        await using var next = await fixture.Client.AcceptSessionAsync("sessions", "exclusive");
        Assert.Equal("checkpoint-7", (await next.GetSessionStateAsync()).ToString());
        await next.SetSessionStateAsync(null);
        Assert.Null(await next.GetSessionStateAsync());
    }

    [Fact]
    public async Task Accept_next_on_an_empty_queue_times_out_and_the_connection_survives()
    {
        await using var client = EmulatorFixture.CreateClient(fixture.Host.DevelopmentConnectionString, TimeSpan.FromSeconds(1.5));
        var options = new ServiceBusSessionReceiverOptions();
        var error = await Assert.ThrowsAsync<ServiceBusException>(() => client.AcceptNextSessionAsync("idle-sessions", options));
        Assert.Equal(ServiceBusFailureReason.ServiceTimeout, error.Reason);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.AcceptNextSessionAsync("idle-sessions", options, cancel.Token));

        await using var sender = client.CreateSender("idle-sessions");
        await sender.SendMessageAsync(new ServiceBusMessage("after") { SessionId = "late" });
        await using var receiver = await client.AcceptNextSessionAsync("idle-sessions");
        Assert.Equal("late", receiver.SessionId);
        await receiver.CompleteMessageAsync(await receiver.ReceiveMessageAsync(Wait));
    }

    [Fact]
    public async Task Accept_next_waits_for_a_session_that_gets_a_message()
    {
        var accepting = fixture.Client.AcceptNextSessionAsync("sessions");
        await Task.Delay(300);
        Assert.False(accepting.IsCompleted);
        await using var sender = fixture.Client.CreateSender("sessions");
        await sender.SendMessageAsync(new ServiceBusMessage("wake") { SessionId = "waited-for" });
        await using var receiver = await accepting;
        Assert.Equal("waited-for", receiver.SessionId);
        await receiver.CompleteMessageAsync(await receiver.ReceiveMessageAsync(Wait));
    }

    [Fact]
    public async Task An_expired_session_lock_is_lost_and_the_message_comes_back_to_the_next_receiver()
    {
        await using var sender = fixture.Client.CreateSender("short-sessions");
        await sender.SendMessageAsync(new ServiceBusMessage("work") { SessionId = "expiring-session" });
        var receiver = await fixture.Client.AcceptSessionAsync("short-sessions", "expiring-session");
        var message = await receiver.ReceiveMessageAsync(Wait);
        Assert.Equal(1, message.DeliveryCount);
        await Task.Delay(1500);

        // The broker detaches the link with session-lock-lost; the client then refuses to settle on the closed receiver.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => receiver.CompleteMessageAsync(message));
        Assert.True(error is ObjectDisposedException or ServiceBusException { Reason: ServiceBusFailureReason.SessionLockLost }, error.ToString());
        Assert.True(receiver.IsClosed);
        await receiver.DisposeAsync();

        await using var next = await fixture.Client.AcceptSessionAsync("short-sessions", "expiring-session");
        var again = await next.ReceiveMessageAsync(Wait);
        Assert.Equal("work", again.Body.ToString());
        Assert.Equal(2, again.DeliveryCount);
        await next.CompleteMessageAsync(again);
    }

    [Fact]
    public async Task A_message_without_session_id_is_refused_by_a_session_queue()
    {
        await using var sender = fixture.Client.CreateSender("sessions");
        await Assert.ThrowsAsync<InvalidOperationException>(() => sender.SendMessageAsync(new ServiceBusMessage("no session")));
    }

    [Fact]
    public async Task The_session_processor_keeps_order_per_session_across_concurrent_sessions()
    {
        const int sessions = 4;
        const int perSession = 25;
        await using var sender = fixture.Client.CreateSender("sessions");
        for (var i = 0; i < perSession; i++)
        {
            await sender.SendMessagesAsync(Enumerable.Range(0, sessions).Select(s => new ServiceBusMessage($"{i}") { SessionId = $"proc-{s}" }));
        }

        var seen = new ConcurrentDictionary<string, List<int>>();
        var done = new TaskCompletionSource();
        var errors = new ConcurrentBag<Exception>();
        await using var processor = fixture.Client.CreateSessionProcessor("sessions", new ServiceBusSessionProcessorOptions
        {
            MaxConcurrentSessions = sessions,
            AutoCompleteMessages = true,
            SessionIdleTimeout = TimeSpan.FromSeconds(1),
        });
        processor.ProcessMessageAsync += args =>
        {
            var list = seen.GetOrAdd(args.SessionId, _ => []);
            lock (list)
            {
                list.Add(int.Parse(args.Message.Body.ToString(), System.Globalization.CultureInfo.InvariantCulture));
            }

            if (seen.Values.Sum(l => l.Count) == sessions * perSession)
            {
                done.TrySetResult();
            }

            return Task.CompletedTask;
        };
        processor.ProcessErrorAsync += args =>
        {
            errors.Add(args.Exception);
            return Task.CompletedTask;
        };
        await processor.StartProcessingAsync();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        await processor.StopProcessingAsync();

        Assert.Equal(sessions, seen.Count);
        Assert.All(seen.Values, list => Assert.Equal(Enumerable.Range(0, perSession), list));
        Assert.Empty(errors);
    }

    private static async Task<List<ServiceBusReceivedMessage>> ReceiveAsync(ServiceBusSessionReceiver receiver, int count)
    {
        var received = new List<ServiceBusReceivedMessage>();
        while (received.Count < count)
        {
            var batch = await receiver.ReceiveMessagesAsync(count - received.Count, Wait);
            Assert.NotEmpty(batch);
            received.AddRange(batch);
        }

        return received;
    }
}
