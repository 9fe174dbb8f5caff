using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Serverless.Functions.Http;

public sealed partial class TenancyOptions : IValidatableObject
{
    public const string SectionName = "Tenancy";

    /// <summary>
    /// <c>DefaultTenant</c> (local runs), <c>ApiKeys</c> (every request names its tenant with a tenant API key) or
    /// <c>EntraId</c> (every request carries an Entra ID access token; its directory decides the tenant).
    /// </summary>
    public TenancyMode Mode { get; set; } = TenancyMode.DefaultTenant;

    /// <summary>The tenant every request acts for in <see cref="TenancyMode.DefaultTenant"/> mode.</summary>
    [Required]
    [RegularExpression("^[a-z][a-z0-9-]{0,62}$")]
    public string DefaultTenantId { get; set; } = "default";

    /// <summary>Settings of <see cref="TenancyMode.EntraId"/> (section <c>Tenancy:EntraId</c>).</summary>
    public EntraIdOptions EntraId { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode != TenancyMode.EntraId)
        {
            yield break;
        }

        if (!Uri.TryCreate(EntraId.Authority, UriKind.Absolute, out var authority) || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
        {
            yield return new ValidationResult("Tenancy:EntraId:Authority must be an https URL (plain http only on loopback, for tests).", [$"{nameof(EntraId)}.{nameof(EntraId.Authority)}"]);
        }

        if (string.IsNullOrWhiteSpace(EntraId.Audience))
        {
            yield return new ValidationResult("Tenancy:EntraId:Audience is required: the API's application ID URI or client id.", [$"{nameof(EntraId)}.{nameof(EntraId.Audience)}"]);
        }

        if (EntraId.Tenants.Count == 0)
        {
            yield return new ValidationResult("Tenancy:EntraId:Tenants must map at least one Entra directory id to a tenant id.", [$"{nameof(EntraId)}.{nameof(EntraId.Tenants)}"]);
        }

        if (EntraId.ConsoleClientId is { Length: > 0 } consoleClientId && !Guid.TryParse(consoleClientId, out _))
        {
            yield return new ValidationResult("Tenancy:EntraId:ConsoleClientId must be the console's application (client) id, a GUID.", [$"{nameof(EntraId)}.{nameof(EntraId.ConsoleClientId)}"]);
        }

        foreach (var (directory, tenant) in EntraId.Tenants)
        {
            if (!Guid.TryParse(directory, out _) || !TenantIdPattern().IsMatch(tenant))
            {
                yield return new ValidationResult($"Tenancy:EntraId:Tenants:{directory} must map a directory id (a GUID) to a tenant id such as contoso.", [$"{nameof(EntraId)}.{nameof(EntraId.Tenants)}"]);
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex TenantIdPattern();
}
