using System.Globalization;

namespace Serverless.Testing;

/// <summary>
/// Service Bus emulator configuration with one tenant's command queue as the deployment creates it (sessions, duplicate
/// detection, 10 deliveries, dead-lettering on expiry, a day's time to live) and the agents' Listen-only policy on it.
/// The shape comes from <c>tests/Serverless.ServiceBusEmulator/tenant-queue.json</c>, which <c>scripts/run.sh</c> fills
/// in too, so the fixtures, the benches and the local system cannot drift apart.
/// </summary>
public static class TenantQueueConfig
{
    public static string TemplatePath => Path.Combine(RepositoryPaths.Root, "tests", "Serverless.ServiceBusEmulator", "tenant-queue.json");

    /// <param name="otherQueues">More queues, each a JSON object in the emulator's Config.json shape.</param>
    public static string Json(string queue, string agentKeyName, string agentKey, int lockDurationSeconds, params string[] otherQueues) =>
        File.ReadAllText(TemplatePath)
            .Replace("${QUEUE}", queue, StringComparison.Ordinal)
            .Replace("${LOCK_SECONDS}", lockDurationSeconds.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("${AGENT_KEY_NAME}", agentKeyName, StringComparison.Ordinal)
            .Replace("${AGENT_KEY}", agentKey, StringComparison.Ordinal)
            .Replace("${OTHER_QUEUES}", string.Concat(otherQueues.Select(other => ",\n" + other)), StringComparison.Ordinal);
}
