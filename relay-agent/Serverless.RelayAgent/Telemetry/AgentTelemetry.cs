using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serverless.Contracts.Commands;
using Serverless.Libvirt;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Telemetry;

/// <summary>
/// The agent's spans and instruments, and their export over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the
/// standard <c>OTEL_*</c> settings apply). Without it no SDK is registered: spans cost one check each.
/// </summary>
public static class AgentTelemetry
{
    public const string SourceName = "Serverless.RelayAgent";

    public const string MeterName = "Serverless.RelayAgent";

    public const string DefaultServiceName = "serverless-relay-agent";

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> CommandsExecuted = Meter.CreateCounter<long>(
        "serverless.agent.commands.executed", "{command}", "Commands this agent answered, by kind and outcome.");

    private static readonly Histogram<double> CommandDuration = Meter.CreateHistogram(
        "serverless.agent.command.duration", "s", "A command's execution on this agent, by kind and outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    private static readonly Histogram<double> SnmpPollDuration = Meter.CreateHistogram(
        "serverless.agent.snmp.poll.duration", "s", "One metrics poll over every subscribed device.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    public static void CommandExecuted(CommandResult result)
    {
        var tags = new TagList { { "command.kind", result.Kind }, { "command.outcome", result.Status.ToString() } };
        CommandsExecuted.Add(1, tags);
        CommandDuration.Record((result.Timings.CompletedAt - result.Timings.StartedAt).TotalSeconds, tags);
    }

    public static void SnmpPolled(TimeSpan elapsed, int devices) =>
        SnmpPollDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("snmp.devices", devices));

    /// <summary>The trace a command belongs to, for its log lines: the trace id of its W3C context, or "none".</summary>
    public static string TraceIdOf(CommandEnvelope command) =>
        ActivityContext.TryParse(command.Trace?.TraceParent, command.Trace?.TraceState, out var context) ? context.TraceId.ToHexString() : "none";

    public static void AddAgentTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(configuration["OTEL_SERVICE_NAME"] ?? DefaultServiceName, serviceInstanceId: Setting(nameof(RelayAgentOptions.AgentId)))
                .AddAttributes(
                [
                    new("agent.group", Setting(nameof(RelayAgentOptions.AgentGroup)) ?? string.Empty),
                    new("tenant.id", Setting(nameof(RelayAgentOptions.TenantId)) ?? string.Empty),
                ]))
            .WithTracing(tracing => tracing
                .AddSource(SourceName, SnmpTracing.SourceName, LibvirtTracing.SourceName)
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = _ => IsInTrace()))
            .WithMetrics(metrics => metrics.AddMeter(MeterName))
            .WithLogging()
            .UseOtlpExporter();

        string? Setting(string name) => configuration[$"{RelayAgentOptions.SectionName}:{name}"];
    }

    /// <summary>
    /// Outgoing HTTP is traced only inside an operation's trace: storage and queue polling, heartbeats and other
    /// background calls would otherwise be a root trace each, several a second.
    /// </summary>
    private static bool IsInTrace() => Activity.Current?.ParentId is not null;
}
