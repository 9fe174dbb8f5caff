using System.Diagnostics;

namespace Serverless.Snmp;

/// <summary>
/// A client span per SNMP request made inside a traced operation (a command's execution); the steady-state poller,
/// which runs outside any trace, makes none.
/// </summary>
public static class SnmpTracing
{
    public const string SourceName = "Serverless.Snmp";

    internal static readonly ActivitySource Source = new(SourceName);

    internal static bool Wanted => Activity.Current is not null && Source.HasListeners();

    internal static Activity? Start(SnmpTarget target, Pdu request)
    {
        var activity = Source.StartActivity($"snmp {request.Type}", ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("server.address", target.EndPoint.Address.ToString());
        activity.SetTag("server.port", target.EndPoint.Port);
        activity.SetTag("snmp.version", target switch { UsmTarget => "3", CommunityTarget community => community.Version.ToString(), _ => null });
        activity.SetTag("snmp.varbinds", request.VarBinds.Count);
        return activity;
    }
}
