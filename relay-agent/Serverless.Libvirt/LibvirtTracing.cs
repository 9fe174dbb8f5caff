using System.Diagnostics;

namespace Serverless.Libvirt;

/// <summary>
/// A client span per libvirt call made inside a traced operation (a command's execution); calls outside any trace (a
/// metrics poll) make none, so polling does not flood the trace store with root spans.
/// </summary>
public static class LibvirtTracing
{
    public const string SourceName = "Serverless.Libvirt";

    private static readonly ActivitySource Source = new(SourceName);

    internal static Activity? Start(string operation, string uri, string? subject)
    {
        if (Activity.Current is null)
        {
            return null;
        }

        var activity = Source.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag("libvirt.uri", uri);
        activity?.SetTag("libvirt.operation", operation);
        if (subject is not null)
        {
            activity?.SetTag("libvirt.subject", subject);
        }

        return activity;
    }

    /// <summary>Marks the current libvirt span failed with libvirt's own message.</summary>
    internal static void Failed(LibvirtException error)
    {
        if (Activity.Current is { } activity && activity.Source == Source)
        {
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
            activity.SetTag("error.type", error.Code.ToString());
        }
    }
}
