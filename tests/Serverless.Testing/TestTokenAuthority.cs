using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Serverless.Testing;

/// <summary>
/// Stands in for Entra ID in tests: an RSA signing key, a multi-tenant issuer template like Entra's
/// (<c>{base}/{tenantid}/v2.0</c>), the OpenID Connect metadata and key set documents that describe them, and tokens.
/// </summary>
public sealed class TestTokenAuthority : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private int _redeemed;

    public TestTokenAuthority(string baseUrl)
    {
        BaseUrl = baseUrl.TrimEnd('/');
        Key = new RsaSecurityKey(_rsa) { KeyId = "test-key-" + Guid.NewGuid().ToString("N")[..8] };
    }

    public string BaseUrl { get; }

    public RsaSecurityKey Key { get; }

    /// <summary>The issuer as multi-tenant metadata names it.</summary>
    public string IssuerTemplate => $"{BaseUrl}/{{tenantid}}/v2.0";

    /// <summary>The authority to configure: its metadata is at <c>/.well-known/openid-configuration</c> under it.</summary>
    public string Authority => $"{BaseUrl}/organizations/v2.0";

    public string IssuerOf(string directory) => $"{BaseUrl}/{directory}/v2.0";

    public string AuthorizationPath => "/organizations/oauth2/v2.0/authorize";

    public string TokenPath => "/organizations/oauth2/v2.0/token";

    /// <summary>How many sign-in codes were redeemed for a token.</summary>
    public int Redeemed => _redeemed;

    public string MetadataJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["issuer"] = IssuerTemplate,
        ["jwks_uri"] = $"{BaseUrl}/organizations/discovery/v2.0/keys",
        ["authorization_endpoint"] = BaseUrl + AuthorizationPath,
        ["token_endpoint"] = BaseUrl + TokenPath,
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
    });

    /// <summary>
    /// The authorization endpoint for a user already signed in to <paramref name="user"/>'s directory: the request is
    /// checked as Entra checks a single-page application's (the registered client and redirect URI, the code flow,
    /// PKCE with S256) and the answer is where to send the browser: back with a one-time code and the state, or with
    /// an error. Null when the client or redirect URI is not the registered one (Entra shows its own error page then).
    /// </summary>
    public string? Authorize(IReadOnlyDictionary<string, string> query, SignInClient client, SignInUser user)
    {
        if (query.GetValueOrDefault("client_id") != client.ClientId || query.GetValueOrDefault("redirect_uri") != client.RedirectUri)
        {
            return null;
        }

        var state = Uri.EscapeDataString(query.GetValueOrDefault("state") ?? string.Empty);
        if (query.GetValueOrDefault("response_type") != "code" || query.GetValueOrDefault("code_challenge_method") != "S256"
            || query.GetValueOrDefault("code_challenge") is not { Length: 43 } challenge
            || !(query.GetValueOrDefault("scope") ?? string.Empty).Split(' ').Contains(client.Scope))
        {
            return $"{client.RedirectUri}?error=invalid_request&error_description={Uri.EscapeDataString("the request is not a PKCE code request for the registered scope")}&state={state}";
        }

        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _codes[code] = new PendingCode(challenge, client, user);
        return $"{client.RedirectUri}?code={code}&state={state}";
    }

    /// <summary>
    /// The token endpoint: a code is redeemed once, by the client it was given to, with the redirect URI it was given
    /// for and the verifier whose SHA-256 is its challenge. The status and JSON body to answer.
    /// </summary>
    public (int Status, string Json) Redeem(IReadOnlyDictionary<string, string> form)
    {
        var code = form.GetValueOrDefault("code") ?? string.Empty;
        if (form.GetValueOrDefault("grant_type") != "authorization_code" || !_codes.TryRemove(code, out var pending))
        {
            return (400, """{"error":"invalid_grant","error_description":"unknown or used code"}""");
        }

        var verifier = form.GetValueOrDefault("code_verifier") ?? string.Empty;
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        if (form.GetValueOrDefault("client_id") != pending.Client.ClientId || form.GetValueOrDefault("redirect_uri") != pending.Client.RedirectUri || challenge != pending.Challenge)
        {
            return (400, """{"error":"invalid_grant","error_description":"the client, redirect URI or code verifier does not match the code"}""");
        }

        Interlocked.Increment(ref _redeemed);
        var token = CreateToken(pending.User.Directory, pending.Client.Audience, pending.User.Roles);
        return (200, JsonSerializer.Serialize(new Dictionary<string, object> { ["token_type"] = "Bearer", ["access_token"] = token, ["expires_in"] = 3600 }));
    }

    public string KeySetJson()
    {
        var parameters = _rsa.ExportParameters(false);
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["keys"] = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = Key.KeyId,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                },
            },
        });
    }

    /// <summary>A signed access token; override any part to make it wrong in one way.</summary>
    public string CreateToken(
        string directory, string audience, IEnumerable<string>? roles = null, DateTime? expires = null, string? issuer = null, SecurityKey? signingKey = null)
    {
        var claims = new Dictionary<string, object> { ["tid"] = directory, ["sub"] = "test-user" };
        if (roles is not null)
        {
            claims["roles"] = roles.ToArray();
        }

        var notBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? IssuerOf(directory),
            Audience = audience,
            Claims = claims,
            NotBefore = notBefore,
            IssuedAt = notBefore,
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(signingKey ?? Key, SecurityAlgorithms.RsaSha256),
        });
    }

    public void Dispose() => _rsa.Dispose();

    private sealed record PendingCode(string Challenge, SignInClient Client, SignInUser User);
}
