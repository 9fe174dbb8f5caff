using Azure.Messaging.ServiceBus;

namespace Serverless.ServiceBusEmulator.Tests;

public sealed class QueueTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Single_and_batch_sends_arrive_in_order_with_their_properties()
    {
        await using var sender = fixture.Client.CreateSender("plain");
        await sender.SendMessageAsync(new ServiceBusMessage("one") { MessageId = "m-1", Subject = "greeting", ApplicationProperties = { ["tenant"] = "contoso" } });
        using var batch = await sender.CreateMessageBatchAsync();
        Assert.True(batch.TryAddMessage(new ServiceBusMessage("two")));
        Assert.True(batch.TryAddMessage(new ServiceBusMessage("three")));
        await sender.SendMessagesAsync(batch);
        await sender.SendMessagesAsync([new ServiceBusMessage("four"), new ServiceBusMessage("five")]);

        await using var receiver = fixture.Client.CreateReceiver("plain");
        var received = new List<ServiceBusReceivedMessage>();
        while (received.Count < 5)
        {
            var messages = await receiver.ReceiveMessagesAsync(5 - received.Count, Wait);
            Assert.NotEmpty(messages);
            received.AddRange(messages);
        }

        Assert.Equal(["one", "two", "three", "four", "five"], received.Select(m => m.Body.ToString()));
        Assert.Equal("m-1", received[0].MessageId);
        Assert.Equal("greeting", received[0].Subject);
        Assert.Equal("contoso", received[0].ApplicationProperties["tenant"]);
        Assert.All(received, m => Assert.Equal(1, m.DeliveryCount));
        Assert.True(received.Zip(received.Skip(1)).All(pair => pair.First.SequenceNumber < pair.Second.SequenceNumber));
        Assert.All(received, m => Assert.True(m.LockedUntil > DateTimeOffset.UtcNow));
        Assert.All(received, m => Assert.Equal(ServiceBusMessageState.Active, m.State));
        foreach (var message in received)
        {
            await receiver.CompleteMessageAsync(message);
        }

        Assert.Empty(await receiver.ReceiveMessagesAsync(1, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(0, fixture.Host.CountMessages("plain"));
    }

    [Fact]
    public async Task Abandon_counts_deliveries_then_the_max_delivery_count_moves_the_message_to_the_dead_letter_queue()
    {
        await using var sender = fixture.Client.CreateSender("plain");
        await sender.SendMessageAsync(new ServiceBusMessage("poison") { MessageId = "poison-1" });
        await using var receiver = fixture.Client.CreateReceiver("plain");

        var first = await receiver.ReceiveMessageAsync(Wait);
        Assert.Equal(1, first.DeliveryCount);
        await receiver.AbandonMessageAsync(first, new Dictionary<string, object> { ["attempt"] = 1 });
        var second = await receiver.ReceiveMessageAsync(Wait);
        Assert.Equal(2, second.DeliveryCount);
        Assert.Equal(1, second.ApplicationProperties["attempt"]);
        await receiver.AbandonMessageAsync(second);
        var third = await receiver.ReceiveMessageAsync(Wait);
        Assert.Equal(3, third.DeliveryCount);
        await receiver.AbandonMessageAsync(third);

        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300)));
        await using var deadLetters = fixture.Client.CreateReceiver("plain", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await deadLetters.ReceiveMessageAsync(Wait);
        Assert.Equal("poison-1", dead.MessageId);
        Assert.Equal("MaxDeliveryCountExceeded", dead.DeadLetterReason);
        Assert.Equal("plain", dead.DeadLetterSource);
        await deadLetters.CompleteMessageAsync(dead);
    }

    [Fact]
    public async Task Dead_letter_with_reason_and_description()
    {
        await using var sender = fixture.Client.CreateSender("plain");
        await sender.SendMessageAsync(new ServiceBusMessage("bad") { MessageId = "bad-1" });
        await using var receiver = fixture.Client.CreateReceiver("plain");
        var message = await receiver.ReceiveMessageAsync(Wait);
        await receiver.DeadLetterMessageAsync(message, "SchemaInvalid", "field 'kind' is missing");

        await using var deadLetters = fixture.Client.CreateReceiver("plain", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await deadLetters.ReceiveMessageAsync(Wait);
        Assert.Equal("bad-1", dead.MessageId);
        Assert.Equal("SchemaInvalid", dead.DeadLetterReason);
        Assert.Equal("field 'kind' is missing", dead.DeadLetterErrorDescription);
        await deadLetters.CompleteMessageAsync(dead);
    }

    [Fact]
    public async Task Deferred_messages_are_received_by_sequence_number()
    {
        await using var sender = fixture.Client.CreateSender("plain");
        await sender.SendMessageAsync(new ServiceBusMessage("later") { MessageId = "deferred-1" });
        await using var receiver = fixture.Client.CreateReceiver("plain");
        var message = await receiver.ReceiveMessageAsync(Wait);
        await receiver.DeferMessageAsync(message);
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300)));

        var deferred = await receiver.ReceiveDeferredMessageAsync(message.SequenceNumber);
        Assert.Equal("deferred-1", deferred.MessageId);
        Assert.Equal(ServiceBusMessageState.Deferred, deferred.State);
        await receiver.CompleteMessageAsync(deferred);
        Assert.Equal(0, fixture.Host.CountMessages("plain"));
    }

    [Fact]
    public async Task Lock_renewal_extends_the_lock_and_an_expired_lock_returns_the_message()
    {
        await using var sender = fixture.Client.CreateSender("short-lock");
        await sender.SendMessageAsync(new ServiceBusMessage("slow") { MessageId = "slow-1" });
        await using var receiver = fixture.Client.CreateReceiver("short-lock");
        var message = await receiver.ReceiveMessageAsync(Wait);
        var firstLock = message.LockedUntil;
        await Task.Delay(1000);
        await receiver.RenewMessageLockAsync(message);
        Assert.True(message.LockedUntil >= firstLock.AddMilliseconds(900));
        await Task.Delay(1600);
        await receiver.CompleteMessageAsync(message);

        await sender.SendMessageAsync(new ServiceBusMessage("lost") { MessageId = "lost-1" });
        var lost = await receiver.ReceiveMessageAsync(Wait);
        await Task.Delay(2600);
        var error = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.CompleteMessageAsync(lost));
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, error.Reason);
        var again = await receiver.ReceiveMessageAsync(Wait);
        Assert.Equal("lost-1", again.MessageId);
        Assert.Equal(2, again.DeliveryCount);
        await receiver.CompleteMessageAsync(again);
    }

    [Fact]
    public async Task Receive_and_delete_removes_on_delivery_and_peek_does_not_lock()
    {
        await using var sender = fixture.Client.CreateSender("short-lock");
        await sender.SendMessagesAsync([new ServiceBusMessage("a") { MessageId = "peek-a" }, new ServiceBusMessage("b") { MessageId = "peek-b" }]);
        await using var peeker = fixture.Client.CreateReceiver("short-lock");
        var peeked = await peeker.PeekMessagesAsync(10);
        Assert.Equal(["peek-a", "peek-b"], peeked.Select(m => m.MessageId));

        await using var receiver = fixture.Client.CreateReceiver("short-lock", new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });
        var received = new List<ServiceBusReceivedMessage>();
        while (received.Count < 2)
        {
            received.AddRange(await receiver.ReceiveMessagesAsync(2, Wait));
        }

        Assert.Equal(["peek-a", "peek-b"], received.Select(m => m.MessageId));
        Assert.Equal(0, fixture.Host.CountMessages("short-lock"));
    }

    [Fact]
    public async Task Duplicate_message_ids_inside_the_window_are_dropped()
    {
        await using var sender = fixture.Client.CreateSender("dedupe");
        for (var i = 0; i < 5; i++)
        {
            await sender.SendMessageAsync(new ServiceBusMessage($"copy {i}") { MessageId = "same-id" });
        }

        await sender.SendMessageAsync(new ServiceBusMessage("other") { MessageId = "other-id" });
        Assert.Equal(2, fixture.Host.CountMessages("dedupe"));
        await using var receiver = fixture.Client.CreateReceiver("dedupe", new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });
        var first = await receiver.ReceiveMessageAsync(Wait);
        Assert.Equal("copy 0", first.Body.ToString());
    }

    [Fact]
    public async Task Scheduled_messages_appear_at_their_time_and_can_be_cancelled()
    {
        await using var sender = fixture.Client.CreateSender("expiring");
        var at = DateTimeOffset.UtcNow.AddSeconds(1.5);
        await sender.SendMessageAsync(new ServiceBusMessage("scheduled") { MessageId = "scheduled-1", ScheduledEnqueueTime = at });
        var cancelled = await sender.ScheduleMessageAsync(new ServiceBusMessage("cancelled") { MessageId = "cancelled-1" }, at);
        await sender.CancelScheduledMessageAsync(cancelled);

        await using var receiver = fixture.Client.CreateReceiver("expiring");
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(500)));
        var message = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("scheduled-1", message.MessageId);
        Assert.True(DateTimeOffset.UtcNow >= at.AddMilliseconds(-50));
        await receiver.CompleteMessageAsync(message);
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Expired_messages_go_to_the_dead_letter_queue_when_configured()
    {
        await using var sender = fixture.Client.CreateSender("expiring");
        await sender.SendMessageAsync(new ServiceBusMessage("stale") { MessageId = "stale-1", TimeToLive = TimeSpan.FromMilliseconds(200) });
        await Task.Delay(400);
        await using var deadLetters = fixture.Client.CreateReceiver("expiring", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await deadLetters.ReceiveMessageAsync(Wait);
        Assert.Equal("stale-1", dead.MessageId);
        Assert.Equal("TTLExpiredException", dead.DeadLetterReason);
        await deadLetters.CompleteMessageAsync(dead);
    }

    [Fact]
    public async Task Unknown_queue_is_entity_not_found()
    {
        await using var sender = fixture.Client.CreateSender("no-such-queue");
        var error = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendMessageAsync(new ServiceBusMessage("x")));
        Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, error.Reason);
    }

    [Fact]
    public async Task A_full_queue_refuses_with_quota_exceeded_and_an_oversize_message_is_refused()
    {
        await using var sender = fixture.Client.CreateSender("small");
        var tooBig = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendMessageAsync(new ServiceBusMessage(new byte[70 * 1024])));
        Assert.Equal(ServiceBusFailureReason.MessageSizeExceeded, tooBig.Reason);

        var payload = new byte[60 * 1024];
        for (var i = 0; i < 17; i++)
        {
            await sender.SendMessageAsync(new ServiceBusMessage(payload));
        }

        var full = await Assert.ThrowsAsync<ServiceBusException>(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await sender.SendMessageAsync(new ServiceBusMessage(payload));
            }
        });
        Assert.Equal(ServiceBusFailureReason.QuotaExceeded, full.Reason);
    }
}
