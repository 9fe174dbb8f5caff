using System.ComponentModel.DataAnnotations;

namespace Serverless.Functions.Http;

public sealed class TenancyOptions
{
    public const string SectionName = "Tenancy";

    /// <summary>The tenant every request acts for until per-tenant API keys exist.</summary>
    [Required]
    [RegularExpression("^[a-z][a-z0-9-]{0,62}$")]
    public string DefaultTenantId { get; set; } = "default";
}
