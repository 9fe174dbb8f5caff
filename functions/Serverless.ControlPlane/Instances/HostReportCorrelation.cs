using Serverless.Contracts.Commands;

namespace Serverless.ControlPlane.Instances;

/// <summary>How a reconcile's <c>instance.list</c> names its waiter: no orchestration, an event name that says which host.</summary>
public static class HostReportCorrelation
{
    private const string Prefix = "host-report:";

    public static CommandCorrelation For(string hostId) => new(null, Prefix + hostId);

    public static bool TryParse(CommandCorrelation correlation, out string hostId)
    {
        hostId = string.Empty;
        if (correlation.InstanceId is not null || correlation.EventName is not { } name || !name.StartsWith(Prefix, StringComparison.Ordinal) || name.Length == Prefix.Length)
        {
            return false;
        }

        hostId = name[Prefix.Length..];
        return true;
    }
}
