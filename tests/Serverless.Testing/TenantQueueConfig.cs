namespace Serverless.Testing;

/// <summary>
/// Service Bus emulator configuration with one tenant's command queue as the deployment creates it (sessions, duplicate
/// detection, 10 deliveries, dead-lettering on expiry) and the agents' Listen-only policy on it.
/// </summary>
public static class TenantQueueConfig
{
    /// <param name="otherQueues">More queues, each a JSON object in the emulator's Config.json shape.</param>
    public static string Json(string queue, string agentKeyName, string agentKey, int lockDurationSeconds, params string[] otherQueues) => $$"""
        {
          "UserConfig": {
            "Namespaces": [
              {
                "Name": "sbemulatorns",
                "Queues": [
                  {
                    "Name": "{{queue}}",
                    "Properties": {
                      "RequiresSession": true, "LockDuration": "PT{{lockDurationSeconds}}S", "MaxDeliveryCount": 10,
                      "RequiresDuplicateDetection": true, "DuplicateDetectionHistoryTimeWindow": "PT10M",
                      "DeadLetteringOnMessageExpiration": true, "DefaultMessageTimeToLive": "PT1H"
                    },
                    "SharedAccessPolicies": [ { "KeyName": "{{agentKeyName}}", "Key": "{{agentKey}}", "Rights": [ "Listen" ] } ]
                  }{{string.Concat(otherQueues.Select(other => ",\n" + other))}}
                ]
              }
            ]
          }
        }
        """;
}
