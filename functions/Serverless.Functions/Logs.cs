using Microsoft.Extensions.Logging;

namespace Serverless.Functions;

/// <summary>Log definitions of the Functions app; EventIds 2000-2999.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Purged {PurgedCount} finished orchestrations created before {CreatedBefore:o} (past due: {IsPastDue})")]
    public static partial void HistoryPurged(ILogger logger, int purgedCount, DateTimeOffset createdBefore, bool isPastDue);
}
