namespace Serverless.ControlPlane.Results;

/// <summary>The <c>If-Match</c> rule every conditional change follows.</summary>
public static class ETags
{
    /// <summary>True when no <c>If-Match</c> was sent, it is <c>*</c>, or it names <paramref name="current"/>.</summary>
    public static bool Allows(string? ifMatch, string? current) => ifMatch is null or "*" || ifMatch == current;
}
