using Serverless.ServiceBusEmulator.Configuration;

namespace Serverless.ServiceBusEmulator.Tests;

public sealed class ConfigTests
{
    [Fact]
    public void The_official_emulator_shape_parses_with_its_defaults_and_the_development_key()
    {
        var config = EmulatorConfig.Parse("""
            { "UserConfig": { "Namespaces": [ { "Name": "sbemulatorns", "Queues": [
                { "Name": "queue.1", "Properties": { "DeadLetteringOnMessageExpiration": false, "DefaultMessageTimeToLive": "PT1H",
                  "DuplicateDetectionHistoryTimeWindow": "PT20S", "ForwardDeadLetteredMessagesTo": "", "ForwardTo": "", "LockDuration": "PT1M",
                  "MaxDeliveryCount": 3, "RequiresDuplicateDetection": false, "RequiresSession": false } },
                { "Name": "bare" } ], "Topics": [] } ], "Logging": { "Type": "File" } } }
            """);

        Assert.Equal("sbemulatorns", config.NamespaceName);
        Assert.Equal([EmulatorConfig.DevelopmentPolicy], config.NamespacePolicies);
        var queue = config.Queues[0];
        Assert.Equal(TimeSpan.FromMinutes(1), queue.LockDuration);
        Assert.Equal(3, queue.MaxDeliveryCount);
        Assert.Equal(TimeSpan.FromSeconds(20), queue.DuplicateDetectionHistoryTimeWindow);
        var bare = config.Queues[1];
        Assert.Equal(10, bare.MaxDeliveryCount);
        Assert.Equal(TimeSpan.FromMinutes(1), bare.LockDuration);
        Assert.False(bare.RequiresSession);
    }

    [Theory]
    [InlineData("""{ "UserConfig": { "Namespaces": [] } }""", "exactly one namespace")]
    [InlineData("""{ "UserConfig": { "Namespaces": [ { "Name": "n", "Queues": [ { "Name": "q", "Properties": { "LockDuration": "one minute" } } ] } ] } }""", "UserConfig.Namespaces[0].Queues[0].Properties.LockDuration")]
    [InlineData("""{ "UserConfig": { "Namespaces": [ { "Name": "n", "Queues": [ { "Name": "q", "Properties": { "MaxDeliveryCount": 0 } } ] } ] } }""", "Queues[0].Properties.MaxDeliveryCount")]
    [InlineData("""{ "UserConfig": { "Namespaces": [ { "Name": "n", "Queues": [ { "Name": "q" }, { "Name": "Q" } ] } ] } }""", "Queues[1].Name: queue 'Q' is declared twice")]
    [InlineData("""{ "UserConfig": { "Namespaces": [ { "Name": "n", "Queues": [ { "Name": "q", "SharedAccessPolicies": [ { "KeyName": "k", "Key": "s", "Rights": [ "Read" ] } ] } ] } ] } }""", "Queues[0].SharedAccessPolicies[0].Rights: 'Read'")]
    [InlineData("""{ "UserConfig": { "Namespaces": [ { "Name": "n", "Topics": [ { "Name": "t" } ] } ] } }""", "Topics: topics are not supported")]
    [InlineData("""{ "UserConfig": { "Namespaces": [ { "Name": "n", "Queues": [ { "Name": "q", "Properties": { "ForwardTo": "other" } } ] } ] } }""", "ForwardTo")]
    [InlineData("""{ "UserConfig": { "Namespaces": [ { "Name": "n", "Queues": [ { "Name": "q", "Propertees": {} } ] } ] } }""", "Propertees")]
    [InlineData("""{ "UserConfig": """, "not valid JSON")]
    public void Invalid_config_is_refused_with_a_message_naming_the_field(string json, string expected)
    {
        var error = Assert.Throws<EmulatorConfigException>(() => EmulatorConfig.Parse(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
