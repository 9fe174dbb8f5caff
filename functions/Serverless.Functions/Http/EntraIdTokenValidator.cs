using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Serverless.ControlPlane.Security;

namespace Serverless.Functions.Http;

/// <summary>
/// Validates Entra ID access tokens: signature against the authority's published keys (fetched from its OpenID Connect
/// metadata and refreshed on key rollover), issuer of the token's own directory, audience, lifetime (5 minutes of skew),
/// an admitted directory, and the required role or scope when one is configured. Answers the tenant or why not.
/// </summary>
public sealed class EntraIdTokenValidator
{
    private readonly EntraIdOptions _options;
    private readonly BaseConfigurationManager _metadata;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>Reads the signing keys and issuer from <paramref name="metadata"/>: the authority's, or fixed ones in tests.</summary>
    public EntraIdTokenValidator(EntraIdOptions options, BaseConfigurationManager metadata)
    {
        _options = options;
        _metadata = metadata;
    }

    /// <summary>The tenant the token's directory maps to, or null with the reason it was refused.</summary>
    public async Task<(string? TenantId, string? Refusal)> ValidateAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        if (SecretTokens.Bearer(authorizationHeader) is not { Length: > 0 } token)
        {
            return (null, "no bearer token");
        }

        if (!_handler.CanReadToken(token))
        {
            return (null, "the bearer token is not a JWT");
        }

        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ConfigurationManager = _metadata,
            ValidAudience = _options.Audience,
            IssuerValidatorUsingConfiguration = ValidateIssuer,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromMinutes(5),
        });
        if (!result.IsValid)
        {
            return (null, Reason(result.Exception));
        }

        var claims = result.ClaimsIdentity.Claims.ToList();
        var directory = claims.FirstOrDefault(c => c.Type == "tid")?.Value ?? string.Empty;
        if (!_options.Tenants.TryGetValue(directory, out var tenantId))
        {
            return (null, $"the token's directory {directory} is not admitted to this control plane");
        }

        if (_options.RequiredRole is { Length: > 0 } role && !HasRole(claims, role))
        {
            return (null, $"the token carries neither the app role nor the scope '{role}'");
        }

        return (tenantId, null);
    }

    private static bool HasRole(List<Claim> claims, string role) =>
        claims.Any(c => c.Type == "roles" && c.Value == role)
        || claims.Any(c => c.Type == "scp" && c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(role, StringComparer.Ordinal));

    /// <summary>Multi-tenant metadata names the issuer with a <c>{tenantid}</c> placeholder: it must be the token's own directory.</summary>
    private static string ValidateIssuer(string issuer, SecurityToken token, TokenValidationParameters parameters, BaseConfiguration configuration)
    {
        var directory = token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>("tid", out var tid) ? tid : null;
        var expected = directory is null ? configuration.Issuer : configuration.Issuer.Replace("{tenantid}", directory, StringComparison.OrdinalIgnoreCase);
        return string.Equals(issuer, expected, StringComparison.Ordinal)
            ? issuer
            : throw new SecurityTokenInvalidIssuerException($"the issuer '{issuer}' is not the authority's issuer for directory {directory ?? "(none)"}");
    }

    private static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not valid yet",
        SecurityTokenInvalidAudienceException => "the token was issued for another audience",
        SecurityTokenInvalidIssuerException invalid => invalid.Message,
        SecurityTokenMalformedException or ArgumentException => "the bearer token is not a JWT",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the token's signature does not verify against the authority's keys",
        null => "the token is not valid",
        _ => $"the token is not valid ({exception.GetType().Name})",
    };

    public static EntraIdTokenValidator ForAuthority(IOptions<TenancyOptions> options) =>
        new(options.Value.EntraId, CreateMetadata(options.Value.EntraId.Authority));

    private static ConfigurationManager<OpenIdConnectConfiguration> CreateMetadata(string authority)
    {
        var https = authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        return new ConfigurationManager<OpenIdConnectConfiguration>(
            authority.TrimEnd('/') + "/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = https });
    }
}
