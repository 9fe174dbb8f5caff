namespace Serverless.Functions.Http;

/// <summary>Stable problem <c>type</c> URIs, one per error kind, that clients may switch on.</summary>
public static class ProblemTypes
{
    private const string Prefix = "https://hybrid-control-plane.dev/problems/";

    public const string Validation = Prefix + "validation";
    public const string MalformedJson = Prefix + "malformed-json";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string NotFound = Prefix + "not-found";
    public const string Conflict = Prefix + "conflict";
    public const string Unavailable = Prefix + "unavailable";
    public const string Unauthorized = Prefix + "unauthorized";
    public const string PreconditionFailed = Prefix + "precondition-failed";
    public const string CredentialRevoked = Prefix + "credential-revoked";
}
