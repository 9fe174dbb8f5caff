namespace Serverless.ControlPlane.Results;

/// <summary>Something that keeps a change from happening, for example a running instance on a host being unregistered.</summary>
/// <param name="Kind">What it is: <c>instance</c>, <c>pool</c>, <c>stack</c>.</param>
/// <param name="Id">Its id.</param>
/// <param name="Detail">Why it blocks, in words.</param>
public sealed record BlockingItem(string Kind, string Id, string Detail);
