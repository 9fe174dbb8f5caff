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

    public string MetadataJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["issuer"] = IssuerTemplate,
        ["jwks_uri"] = $"{BaseUrl}/organizations/discovery/v2.0/keys",
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
    });

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
}
