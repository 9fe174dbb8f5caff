using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Instances;

/// <summary>Where a launch may go: these zones, or every zone of a kind (both: those zones, which must be of the kind).</summary>
/// <param name="Kind">Provider or client.</param>
/// <param name="Zones">Zone names, in the order placement breaks ties by.</param>
public sealed record ZoneSelector(ZoneKind? Kind, IReadOnlyList<string>? Zones);
