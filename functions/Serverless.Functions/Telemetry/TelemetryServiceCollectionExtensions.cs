using System.Diagnostics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serverless.ControlPlane.Telemetry;

namespace Serverless.Functions.Telemetry;

/// <summary>
/// OpenTelemetry for the control plane, configured the standard way (<c>OTEL_*</c> settings): traces, metrics and logs
/// go to an OTLP endpoint when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, to Application Insights when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is. With neither, no SDK is registered and tracing costs nothing.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The durable task framework's spans: orchestrations, activities, timers and raised events.</summary>
    public const string DurableTaskSource = "DurableTask.Core";

    public const string DefaultServiceName = "serverless-control-plane";

    /// <param name="functionsWorker">
    /// True in the Azure Functions worker, whose invocation spans continue the Functions host's trace; the local host
    /// makes its own.
    /// </param>
    /// <param name="hostSources">The host's own activity sources.</param>
    public static IServiceCollection AddControlPlaneTelemetry(
        this IServiceCollection services, IConfiguration configuration, bool functionsWorker, params string[] hostSources)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var azureMonitor = !string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        if (!otlp && !azureMonitor)
        {
            return services;
        }

        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? DefaultServiceName))
            .WithTracing(tracing => tracing
                .AddSource([ControlPlaneTelemetry.SourceName, DurableTaskSource, .. hostSources])
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = _ => IsInTrace()))
            .WithMetrics(metrics => metrics
                .AddMeter(ControlPlaneTelemetry.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithLogging();
        if (functionsWorker)
        {
            builder.UseFunctionsWorkerDefaults();
        }

        if (otlp)
        {
            builder.UseOtlpExporter();
        }

        if (azureMonitor)
        {
            // Ingestion signed by the app's managed identity, named as the Functions host reads it.
            builder.UseAzureMonitorExporter(options =>
            {
                if (ManagedIdentityClientId(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]) is { } clientId)
                {
                    options.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
                }
            });
        }

        return services;
    }

    /// <summary>The client id in an <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> (<c>ClientId=…;Authorization=AAD</c>).</summary>
    internal static string? ManagedIdentityClientId(string? authenticationString) =>
        authenticationString?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .FirstOrDefault(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase) && pair[1].Length > 0)?[1];

    /// <summary>
    /// Outgoing HTTP is traced only inside an operation's trace: storage and queue polling, heartbeats and other
    /// background calls would otherwise be a root trace each, several a second.
    /// </summary>
    private static bool IsInTrace() => Activity.Current?.ParentId is not null;
}
