using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.Functions.Http;

/// <summary>How a request's tenant is decided.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<TenancyMode>))]
public enum TenancyMode
{
    /// <summary>Every request acts for <see cref="TenancyOptions.DefaultTenantId"/>: one machine, one tenant (local runs).</summary>
    DefaultTenant,

    /// <summary>Every tenant-scoped request carries <c>Authorization: Bearer tk1.…</c>, a tenant API key naming its tenant.</summary>
    ApiKeys,

    /// <summary>Every tenant-scoped request carries an Entra ID access token; its directory (<c>tid</c>) maps to the tenant.</summary>
    EntraId,
}
