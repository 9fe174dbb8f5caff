namespace Serverless.ServiceBusEmulator.Security;

/// <summary>Parses the addresses the client uses: <c>/queue</c>, <c>queue/$management</c>, <c>queue/$deadletterqueue</c>.</summary>
public static class EntityAddress
{
    public const string DeadLetterSuffix = "$deadletterqueue";
    public const string ManagementSuffix = "$management";

    /// <summary>The queue an audience such as <c>amqp://localhost/agents/$management</c> refers to, or null for the namespace.</summary>
    public static string? EntityOfAudience(string audience)
    {
        var schemeEnd = audience.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd >= 0 ? audience[(schemeEnd + 3)..] : audience;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? null : Parse(rest[(slash + 1)..]).Queue;
    }

    /// <summary>Splits a link address into its queue and whether it names the dead-letter sub-queue or management.</summary>
    public static (string? Queue, bool DeadLetter, bool Management) Parse(string? address)
    {
        var segments = (address ?? string.Empty).Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return (null, false, false);
        }

        var deadLetter = segments.Length > 1 && string.Equals(segments[1], DeadLetterSuffix, StringComparison.OrdinalIgnoreCase);
        var management = string.Equals(segments[^1], ManagementSuffix, StringComparison.OrdinalIgnoreCase);
        return (segments[0], deadLetter, management);
    }
}
