using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Pools;

/// <summary>
/// What the policy engine knows of one member: its state since when, its zone's kind, whether its agent group is
/// connected, its recent readings (oldest first), and how long its last activation took (null: never measured).
/// </summary>
public sealed record MemberSnapshot(
    string MemberId,
    ZoneKind ZoneKind,
    MemberState State,
    DateTimeOffset StateSince,
    bool Reachable,
    IReadOnlyList<MetricPoint> Window,
    double CostPerHour = 0,
    int? ActivationSeconds = null);
