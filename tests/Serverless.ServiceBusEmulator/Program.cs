using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Serverless.ServiceBusEmulator;
using Serverless.ServiceBusEmulator.Configuration;

const string Usage = """
    Service Bus emulator (AMQP 1.0 on 127.0.0.1) for development and tests.

    Usage: Serverless.ServiceBusEmulator [--config FILE] [--port N] [--log-level LEVEL]

      --config FILE      queues and keys, in the shape of the official emulator's Config.json
                         (default: Config.json beside the executable)
      --port N           TCP port on 127.0.0.1 (default 5672); ready when the port accepts connections
      --log-level LEVEL  Trace, Debug (connections and links), Information (default), Warning, Error

    Connection string: Endpoint=sb://127.0.0.1:N;SharedAccessKeyName=RootManageSharedAccessKey;
                       SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;
    """;

var configPath = Path.Combine(AppContext.BaseDirectory, "Config.json");
var port = 5672;
var level = LogLevel.Information;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        case "--config" when i + 1 < args.Length:
            configPath = args[++i];
            break;
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is > 0 and < 65536:
            port = parsed;
            i++;
            break;
        case "--log-level" when i + 1 < args.Length && Enum.TryParse<LogLevel>(args[i + 1], ignoreCase: true, out var parsedLevel):
            level = parsedLevel;
            i++;
            break;
        default:
            Console.Error.WriteLine($"unknown or incomplete option '{args[i]}'\n\n{Usage}");
            return 2;
    }
}

using var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(level).AddSimpleConsole(options =>
{
    options.SingleLine = true;
    options.TimestampFormat = "HH:mm:ss.fff ";
}));
var logger = loggerFactory.CreateLogger("Serverless.ServiceBusEmulator");

EmulatorConfig config;
try
{
    config = EmulatorConfig.Load(configPath);
}
catch (EmulatorConfigException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 2;
}

ServiceBusEmulatorHost host;
try
{
    host = ServiceBusEmulatorHost.Start(config, port, loggerFactory);
}
catch (InvalidOperationException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 1;
}

await using (host)
{
    var stopping = new TaskCompletionSource();
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        stopping.TrySetResult();
    });
    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
    {
        context.Cancel = true;
        stopping.TrySetResult();
    });
    ProgramLogs.Listening(logger, config.NamespaceName, port, string.Join(", ", config.Queues.Select(q => q.Name)));
    await stopping.Task;
}

return 0;

internal static partial class ProgramLogs
{
    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "Service Bus emulator for namespace {Namespace} listening on 127.0.0.1:{Port} with queues {Queues}")]
    public static partial void Listening(ILogger logger, string @namespace, int port, string queues);
}
