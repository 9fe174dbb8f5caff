using System.Security.Cryptography;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Serverless.Functions.Http;
using Serverless.Testing;

namespace Serverless.Functions.Tests;

/// <summary>Every way an Entra ID token can be wrong is refused with its reason; a right one names its directory's tenant.</summary>
public sealed class EntraIdTokenValidatorTests : IDisposable
{
    private const string Audience = "api://hybrid-control-plane";
    private const string Contoso = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string Stranger = "11111111-2222-3333-4444-555555555555";

    private readonly TestTokenAuthority _authority = new("https://login.example.test");
    private readonly EntraIdTokenValidator _validator;

    public EntraIdTokenValidatorTests()
    {
        var metadata = new OpenIdConnectConfiguration { Issuer = _authority.IssuerTemplate };
        metadata.SigningKeys.Add(_authority.Key);
        _validator = new EntraIdTokenValidator(
            new EntraIdOptions { Audience = Audience, Tenants = new(StringComparer.OrdinalIgnoreCase) { [Contoso] = "contoso" }, RequiredRole = "ControlPlane.Operator" },
            new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata));
    }

    [Fact]
    public async Task Validate_TokenOfAnAdmittedDirectoryWithTheRole_IsItsTenant()
    {
        var (tenant, refusal) = await ValidateAsync(_authority.CreateToken(Contoso, Audience, ["ControlPlane.Operator"]));

        Assert.Equal(("contoso", (string?)null), (tenant, refusal));
    }

    [Fact]
    public async Task Validate_DelegatedScopeInsteadOfTheRole_IsAccepted()
    {
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _authority.IssuerOf(Contoso),
            Audience = Audience,
            Claims = new Dictionary<string, object> { ["tid"] = Contoso, ["scp"] = "User.Read ControlPlane.Operator" },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(_authority.Key, SecurityAlgorithms.RsaSha256),
        });

        Assert.Equal("contoso", (await ValidateAsync(token)).TenantId);
    }

    public static TheoryData<string, string> WrongTokens => new()
    {
        { "expired", "the token has expired" },
        { "audience", "the token was issued for another audience" },
        { "signature", "the token's signature does not verify against the authority's keys" },
        { "issuer", "is not the authority's issuer for directory " + Contoso },
        { "directory", $"the token's directory {Stranger} is not admitted to this control plane" },
        { "role", "the token carries neither the app role nor the scope 'ControlPlane.Operator'" },
        { "garbage", "the bearer token is not a JWT" },
    };

    [Theory]
    [MemberData(nameof(WrongTokens))]
    public async Task Validate_WrongToken_IsRefusedSayingWhy(string wrong, string reason)
    {
        using var otherRsa = RSA.Create(2048);
        var roles = new[] { "ControlPlane.Operator" };
        var token = wrong switch
        {
            "expired" => _authority.CreateToken(Contoso, Audience, roles, expires: DateTime.UtcNow.AddMinutes(-10)),
            "audience" => _authority.CreateToken(Contoso, "api://something-else", roles),
            "signature" => _authority.CreateToken(Contoso, Audience, roles, signingKey: new RsaSecurityKey(otherRsa) { KeyId = _authority.Key.KeyId }),
            "issuer" => _authority.CreateToken(Contoso, Audience, roles, issuer: _authority.IssuerOf(Stranger)),
            "directory" => _authority.CreateToken(Stranger, Audience, roles),
            "role" => _authority.CreateToken(Contoso, Audience, ["Reader"]),
            _ => "not.a.jwt",
        };

        var (tenant, refusal) = await ValidateAsync(token);

        Assert.Null(tenant);
        Assert.True(refusal?.Contains(reason, StringComparison.Ordinal), refusal);
    }

    [Fact]
    public async Task Validate_NoBearerToken_IsRefused() =>
        Assert.Equal((null, "no bearer token"), await _validator.ValidateAsync("Basic abc", CancellationToken.None));

    [Theory]
    [InlineData("5c0e50fe-0000-4000-8000-00000000c0de", true)]
    [InlineData("", true)]
    [InlineData("hybrid-console", false)]
    public void Options_ConsoleClientId_IsAGuidOrUnset(string consoleClientId, bool valid)
    {
        var options = new TenancyOptions
        {
            Mode = TenancyMode.EntraId,
            EntraId = new EntraIdOptions { Audience = "api://x", Tenants = new() { [Contoso] = "contoso" }, ConsoleClientId = consoleClientId },
        };

        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.Equal(valid, System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
        Assert.Equal(valid ? [] : ["Tenancy:EntraId:ConsoleClientId must be the console's application (client) id, a GUID."], results.Select(r => r.ErrorMessage));
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/organizations/v2.0", "api://x", Contoso, "contoso", true)]
    [InlineData("http://127.0.0.1:8080/organizations/v2.0", "api://x", Contoso, "contoso", true)]
    [InlineData("http://login.example.test/organizations/v2.0", "api://x", Contoso, "contoso", false)]
    [InlineData("https://login.microsoftonline.com/organizations/v2.0", "", Contoso, "contoso", false)]
    [InlineData("https://login.microsoftonline.com/organizations/v2.0", "api://x", "not-a-guid", "contoso", false)]
    [InlineData("https://login.microsoftonline.com/organizations/v2.0", "api://x", Contoso, "Contoso Ltd", false)]
    public void Options_EntraIdMode_AreCheckedAtStart(string authority, string audience, string directory, string tenant, bool valid)
    {
        var options = new TenancyOptions
        {
            Mode = TenancyMode.EntraId,
            EntraId = new EntraIdOptions { Authority = authority, Audience = audience, Tenants = new() { [directory] = tenant } },
        };

        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.Equal(valid, System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
    }

    public void Dispose() => _authority.Dispose();

    private Task<(string? TenantId, string? Refusal)> ValidateAsync(string token) => _validator.ValidateAsync($"Bearer {token}", CancellationToken.None);
}
