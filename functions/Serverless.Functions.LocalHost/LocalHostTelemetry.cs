using System.Diagnostics;

namespace Serverless.Functions.LocalHost;

/// <summary>The local host's own spans: what the Functions host traces in Azure (timer invocations).</summary>
internal static class LocalHostTelemetry
{
    public const string SourceName = "Serverless.Functions.LocalHost";

    public static readonly ActivitySource Source = new(SourceName);
}
