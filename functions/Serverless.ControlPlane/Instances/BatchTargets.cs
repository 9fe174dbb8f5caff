namespace Serverless.ControlPlane.Instances;

/// <summary>Which instances a batch acts on: these names, or every instance (not terminated) of a zone and/or with a tag.</summary>
/// <param name="Names">Instance names.</param>
/// <param name="Zone">Every instance placed in this zone.</param>
/// <param name="Tag">Every instance with this tag, as <c>key=value</c> or <c>key</c>.</param>
public sealed record BatchTargets(IReadOnlyList<string>? Names, string? Zone, string? Tag);
