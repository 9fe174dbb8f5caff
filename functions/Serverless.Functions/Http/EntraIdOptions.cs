namespace Serverless.Functions.Http;

/// <summary>How requests prove their tenant with Entra ID access tokens (<see cref="TenancyMode.EntraId"/>).</summary>
public sealed class EntraIdOptions
{
    /// <summary>
    /// The OpenID Connect authority whose metadata gives the signing keys and the issuer. The multi-tenant default accepts
    /// v2.0 tokens of any organisation directory; <see cref="Tenants"/> decides which directories are admitted.
    /// </summary>
    public string Authority { get; set; } = "https://login.microsoftonline.com/organizations/v2.0";

    /// <summary>The API's application ID URI or client id; tokens must be issued for it (claim <c>aud</c>).</summary>
    public string? Audience { get; set; }

    /// <summary>Entra directory id (claim <c>tid</c>) → this control plane's tenant id. Tokens of other directories are refused.</summary>
    public Dictionary<string, string> Tenants { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, the token must carry this app role (claim <c>roles</c>) or delegated scope (claim <c>scp</c>).</summary>
    public string? RequiredRole { get; set; }

    /// <summary>
    /// The client id of the web console's app registration (a single-page application whose redirect URI is the
    /// console's address, <c>https://{app}/api/console/</c>). When set, the console offers "Sign in with Microsoft".
    /// </summary>
    public string? ConsoleClientId { get; set; }

    /// <summary>The scope the console asks for on the API's behalf; by default <c>{Audience}/.default</c>.</summary>
    public string? ConsoleScope { get; set; }
}
