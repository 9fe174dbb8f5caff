namespace Serverless.Contracts.Migrations;

/// <summary>A SAS URL for one blob, valid until <paramref name="ExpiresAt"/>. It is a secret: agents never log it.</summary>
/// <param name="Url">The blob's URL with its SAS.</param>
/// <param name="ExpiresAt">When the SAS stops working.</param>
public sealed record BlobAccessGrant(string Url, DateTimeOffset ExpiresAt)
{
    /// <summary>The URL is left out, so a grant written to a log by mistake reveals nothing.</summary>
    public override string ToString() => $"BlobAccessGrant {{ ExpiresAt = {ExpiresAt:O} }}";
}
