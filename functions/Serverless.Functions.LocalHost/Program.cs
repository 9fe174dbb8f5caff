using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using Serverless.Functions;
using Serverless.Functions.LocalHost;
using Serverless.Functions.LocalHost.Discovery;
using Serverless.Functions.LocalHost.Durable;
using Serverless.Functions.LocalHost.Http;
using Serverless.Functions.LocalHost.Invocation;
using Serverless.Functions.LocalHost.Timers;
using Serverless.Functions.Telemetry;

const string Help = """
    Serverless.Functions.LocalHost: runs the control plane's Azure Functions app on this machine.

    Usage: Serverless.Functions.LocalHost [--port N] [--settings FILE] [--verbose]

      --port N         HTTP port (default 7071; or LocalHost__Port)
      --settings FILE  a Functions local.settings.json whose Values are app settings
                       (default ./local.settings.json; environment variables win)
      --verbose        also ASP.NET Core's request logs and every invocation, the agents'
                       heartbeats and metrics included (or LocalHost__Verbose=true); without it,
                       one line per invocation (those two only when they fail) and warnings
      --help           this text

    Settings (app settings or environment variables, '__' for ':'):
      AzureWebJobsStorage         storage connection string (Azurite: UseDevelopmentStorage=true)
      DurableTask__HubName        durable task hub name
      LocalHost__MasterKey        admin key (x-functions-key) for admin-level functions and /admin
      LocalHost__FunctionKey      key for function-level functions
      LocalHost__MaxQueuePollingInterval  overrides host.json durable polling (e.g. 00:00:00.250)
      LocalHost__ExtendedSessionsEnabled  overrides host.json durable extended sessions (true/false)
      OTEL_EXPORTER_OTLP_ENDPOINT  exports traces, metrics and logs over OTLP (standard OTEL_* settings apply)
    """;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(Help);
    return 0;
}

var settingsIndex = Array.IndexOf(args, "--settings");
var settingsFile = settingsIndex >= 0 && settingsIndex + 1 < args.Length ? args[settingsIndex + 1] : "local.settings.json";
if (settingsIndex >= 0 && !File.Exists(settingsFile))
{
    await Console.Error.WriteLineAsync($"Settings file '{settingsFile}' does not exist.");
    return 2;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
// Core Tools semantics: local.settings.json values are defaults; real environment variables override them.
builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LocalSettingsFile.ReadValues(settingsFile) });
if (args.Contains("--verbose"))
{
    builder.Configuration.AddInMemoryCollection([new($"{LocalHostOptions.SectionName}:{nameof(LocalHostOptions.Verbose)}", "true")]);
    args = [.. args.Where(a => a != "--verbose")];
}

builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--port"] = $"{LocalHostOptions.SectionName}:{nameof(LocalHostOptions.Port)}",
    ["--settings"] = $"{LocalHostOptions.SectionName}:SettingsFile",
});
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});

var hostOptions = builder.Configuration.GetSection(LocalHostOptions.SectionName).Get<LocalHostOptions>() ?? new LocalHostOptions();
using var startupLogs = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
var startupLogger = startupLogs.CreateLogger("Serverless.Functions.LocalHost");

IReadOnlyList<FunctionDescriptor> functions;
HostJson hostJson;
List<(FunctionDescriptor Function, TimerSchedule Schedule)> timers;
DurableBackendSettings durableSettings;
FaultInjection faults;
try
{
    functions = FunctionCatalog.Discover(typeof(AppServiceCollectionExtensions).Assembly.GetExportedTypes());
    hostJson = HostJson.Load(Path.Combine(AppContext.BaseDirectory, "host.json"));
    foreach (var (category, level) in hostJson.LogLevels)
    {
        builder.Logging.AddFilter(string.Equals(category, "default", StringComparison.OrdinalIgnoreCase) ? null : category, level);
    }

    // Core Tools shows one line per invocation; ASP.NET Core's five lines per request and the durable worker's two per
    // activity only on request.
    builder.Logging.AddFilter("Microsoft.AspNetCore", hostOptions.Verbose ? LogLevel.Information : LogLevel.Warning);
    builder.Logging.AddFilter("Microsoft.DurableTask.Worker.Activities", hostOptions.Verbose ? LogLevel.Information : LogLevel.Warning);
    if (hostOptions.Verbose)
    {
        builder.Logging.AddFilter("Function", LogLevel.Debug);
    }

    timers = functions
        .Where(f => f.Trigger == TriggerKind.Timer)
        .Select(f => (f, TimerSchedule.Parse(AppSettingExpressions.Resolve(f.Schedule!, builder.Configuration, $"Timer function '{f.Name}'"))))
        .ToList();
    if (functions.Any(f => f.AuthLevel is "Function" or "Admin") && string.IsNullOrWhiteSpace(hostOptions.MasterKey))
    {
        throw new InvalidOperationException("Keyed HTTP functions need LocalHost__MasterKey (and LocalHost__FunctionKey for function-level keys).");
    }

    var visibility = hostOptions.VisibilityTimeouts();
    durableSettings = new DurableBackendSettings(
        AppSettingExpressions.Resolve(hostJson.HubName ?? "TestHubName", builder.Configuration, "host.json durableTask.hubName"),
        builder.Configuration[AppSettingNames.Storage] is { Length: > 0 } storage
            ? storage
            : throw new InvalidOperationException($"Set '{AppSettingNames.Storage}' to a storage connection string (Azurite: UseDevelopmentStorage=true)."),
        hostJson.PartitionCount ?? 4,
        hostOptions.MaxQueuePollingInterval ?? hostJson.MaxQueuePollingInterval ?? TimeSpan.FromSeconds(30),
        visibility.Orchestrations,
        visibility.Activities,
        hostOptions.WorkerId,
        hostOptions.ExtendedSessionsEnabled ?? hostJson.ExtendedSessionsEnabled,
        hostJson.ExtendedSessionIdleTimeoutSeconds);
    faults = new FaultInjection(
        builder.Configuration.GetSection(FaultInjection.SectionName).GetChildren().ToDictionary(c => c.Key, c => c.Value, StringComparer.OrdinalIgnoreCase),
        builder.Environment.IsDevelopment());
}
catch (Exception ex) when (ex is UnsupportedFunctionException or InvalidOperationException or FormatException or IOException or InvalidDataException)
{
    Logs.StartupFailed(startupLogger, ex.Message);
    return 1;
}

builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(hostOptions.Port));
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
builder.Services.AddOptions<LocalHostOptions>().BindConfiguration(LocalHostOptions.SectionName);
builder.Services.AddControlPlane(builder.Configuration);
builder.Services.AddControlPlaneTelemetry(builder.Configuration, functionsWorker: false, LocalHostTelemetry.SourceName);
builder.Services.AddMvcCore();
builder.Services.AddProblemDetails();
builder.Services.AddSingleton(functions);
builder.Services.AddSingleton(durableSettings);
builder.Services.AddSingleton(faults);
builder.Services.AddSingleton<DurableBackend>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<DurableBackend>());
builder.Services.AddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<DurableBackend>().Client);
builder.Services.AddSingleton<KeyAuthorizer>();
builder.Services.AddSingleton<TimerRunner>();
builder.Services.AddSingleton<InvocationLog>();
builder.Services.AddSingleton(sp => new TimerStatusStore(
    new BlobContainerClient(durableSettings.StorageConnectionString, "azure-webjobs-hosts"),
    sp.GetRequiredService<IOptions<LocalHostOptions>>().Value.HostId));
builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<TimerScheduler>(sp, timers));

var app = builder.Build();
var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Serverless.Functions.LocalHost");
try
{
    await app.Services.GetRequiredService<DurableBackend>().EnsureTaskHubAsync();
}
catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
{
    Logs.StartupFailed(logger, $"the durable task hub could not be created in storage ({ex.Message}). Is Azurite running?");
    return 1;
}

if (faults.Enabled)
{
    Logs.FaultInjectionOn(logger, string.Join(", ", app.Configuration.GetSection(FaultInjection.SectionName).GetChildren().Select(c => $"{c.Key}={c.Value}")));
}

HttpFunctionEndpoints.Map(app, functions, hostJson.RoutePrefix);
AdminEndpoints.Map(app, functions, hostJson.RoutePrefix);
app.MapFallback((HttpContext context) => HostProblems.NotFound(context.Request.Path));

foreach (var function in functions)
{
    switch (function.Trigger)
    {
        case TriggerKind.Http:
            Logs.HttpFunctionMapped(logger, function.Name, string.Join(',', function.HttpMethods ?? ["*"]), HttpFunctionEndpoints.RoutePattern(hostJson.RoutePrefix, function.Route!), function.AuthLevel!);
            break;
        case TriggerKind.Timer:
            var schedule = timers.Single(t => t.Function == function).Schedule;
            Logs.TimerFunctionScheduled(logger, function.Name, schedule.Expression, schedule.GetNextOccurrence(DateTime.UtcNow), function.RunOnStartup ? ", runs on startup" : string.Empty);
            break;
        default:
            Logs.DurableFunctionRegistered(logger, function.Trigger == TriggerKind.Orchestration ? "Orchestrator" : "Activity ", function.Name);
            break;
    }
}

app.Lifetime.ApplicationStarted.Register(() =>
    Logs.HostListening(logger, $"http://localhost:{hostOptions.Port}/{hostJson.RoutePrefix}", functions.Count, Environment.ProcessId));
await app.RunAsync();
return 0;
