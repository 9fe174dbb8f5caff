using Microsoft.Extensions.Logging;

namespace Serverless.ServiceBusEmulator;

internal static partial class Logs
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Debug, Message = "Connection {Connection} opened")]
    public static partial void ConnectionOpened(ILogger logger, int connection);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Connection {Connection} closed ({Reason})")]
    public static partial void ConnectionClosed(ILogger logger, int connection, string? reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Connection {Connection}: token accepted for {Audience} with {Rights}")]
    public static partial void TokenAccepted(ILogger logger, int connection, string audience, string rights);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Connection {Connection}: token refused for {Audience}: {Reason}")]
    public static partial void TokenRefused(ILogger logger, int connection, string audience, string? reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Connection {Connection}: {Role} link {Link} attached to {Entity} (session {SessionId})")]
    public static partial void LinkAttached(ILogger logger, int connection, string link, string role, string entity, string? sessionId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "Connection {Connection}: link {Link} refused with {Condition}: {Description}")]
    public static partial void LinkRefused(ILogger logger, int connection, string link, string condition, string description);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "Connection {Connection}: {Operation} on {Entity}")]
    public static partial void ManagementRequest(ILogger logger, int connection, string entity, string operation);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "Connection {Connection}: session lock of link {Link} on session {SessionId} expired")]
    public static partial void SessionLockExpired(ILogger logger, int connection, string link, string? sessionId);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Lock sweep failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Connection {Connection}: settlement on link {Link} failed")]
    public static partial void SettlementFailed(ILogger logger, Exception exception, int connection, string link);
}
