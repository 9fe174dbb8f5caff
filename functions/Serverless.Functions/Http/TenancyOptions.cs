using System.ComponentModel.DataAnnotations;

namespace Serverless.Functions.Http;

public sealed class TenancyOptions
{
    public const string SectionName = "Tenancy";

    /// <summary><c>DefaultTenant</c> (local runs) or <c>ApiKeys</c> (every request names its tenant with a tenant API key).</summary>
    public TenancyMode Mode { get; set; } = TenancyMode.DefaultTenant;

    /// <summary>The tenant every request acts for in <see cref="TenancyMode.DefaultTenant"/> mode.</summary>
    [Required]
    [RegularExpression("^[a-z][a-z0-9-]{0,62}$")]
    public string DefaultTenantId { get; set; } = "default";
}
