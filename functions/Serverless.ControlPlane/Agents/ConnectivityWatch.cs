namespace Serverless.ControlPlane.Agents;

/// <summary>
/// When the connectivity timer last evaluated, and since when it has done so without a gap: silence before
/// <see cref="WatchingSince"/> fell in time the control plane itself was not watching (down, or not yet started).
/// </summary>
public sealed record ConnectivityWatch(DateTimeOffset LastEvaluatedAt, DateTimeOffset WatchingSince);
