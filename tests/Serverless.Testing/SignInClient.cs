namespace Serverless.Testing;

/// <summary>An app registration as <see cref="TestTokenAuthority"/> knows it: a single-page application asking for <paramref name="Scope"/> of the API <paramref name="Audience"/>.</summary>
public sealed record SignInClient(string ClientId, string RedirectUri, string Scope, string Audience);
