using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Zones;

/// <summary>Creates and reads zones for a tenant.</summary>
public sealed class ZoneService(IZoneStore store, TimeProvider clock)
{
    public async Task<Outcome<Zone>> CreateAsync(string tenantId, CreateZoneRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        FieldRules.Name("name", request.Name, errors);
        FieldRules.Required("kind", request.Kind, errors);
        FieldRules.OptionalText("site", request.Site, errors);
        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        var zone = new Zone(tenantId, request.Name!, request.Kind!.Value, request.Site, clock.GetUtcNow());
        if (!await store.TryAddAsync(zone, cancellationToken))
        {
            return DomainError.Conflict("The zone already exists.", $"A zone named '{zone.Name}' already exists.");
        }

        return zone;
    }

    public async Task<Outcome<Zone>> GetAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var zone = await store.GetAsync(tenantId, name, cancellationToken);
        return zone is null ? DomainError.NotFound("zone", name) : zone;
    }

    public async Task<Outcome<Page<Zone>>> ListAsync(string tenantId, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (Paging.Check(pageSize, continuationToken, out var afterName) is { } invalid)
        {
            return invalid;
        }

        var size = pageSize ?? Paging.DefaultPageSize;
        var zones = await store.ListAsync(tenantId, size, afterName, cancellationToken);
        var next = zones.Count == size ? ContinuationTokens.Encode(zones[^1].Name) : null;
        return new Page<Zone>(zones, next);
    }
}
