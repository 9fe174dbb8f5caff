using Microsoft.Extensions.Options;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Validation;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Registration;

/// <summary>Validates registration requests and records each step of the registration workflow.</summary>
public sealed class RegistrationService(
    IZoneStore zones,
    IResourceStore resources,
    IInstanceStore instances,
    IOptions<RegistrationOptions> options,
    TimeProvider clock)
{
    public const int MaxServiceCategories = 16;
    public const int MaxMembers = 100;
    public const int MinVerificationTimeoutSeconds = 5;
    public const int MaxVerificationTimeoutSeconds = 3600;

    private static readonly HashSet<string> LibvirtSchemes = new(StringComparer.Ordinal)
    {
        "qemu", "qemu+ssh", "qemu+tls", "qemu+tcp", "qemu+unix", "test", "esx", "vpx", "gsx", "hyperv", "xen", "xen+ssh", "lxc", "vbox", "ch",
    };

    /// <summary>Checks the request against the tenant's zones and existing resources and plans the workflow.</summary>
    public async Task<Outcome<RegistrationPlan>> PrepareAsync(string tenantId, RegisterResourceRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        FieldRules.Name("name", request.Name, errors);
        FieldRules.Name("zone", request.Zone, errors);
        FieldRules.Required("kind", request.Kind, errors);
        ValidateEndpoint(request, errors);
        ValidateCategories(request.ServiceCategories, errors);
        if (request.VerificationTimeoutSeconds is < MinVerificationTimeoutSeconds or > MaxVerificationTimeoutSeconds)
        {
            errors.Add(new FieldError("verificationTimeoutSeconds", $"must be {MinVerificationTimeoutSeconds} to {MaxVerificationTimeoutSeconds}."));
        }

        await FieldRules.ZoneExistsAsync(zones, tenantId, "zone", request.Zone, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        var existing = await resources.GetAsync(tenantId, request.Name!, cancellationToken);
        if (existing is not null && existing.State is not (RegistrationState.Rejected or RegistrationState.Unregistered))
        {
            return DomainError.Conflict("The resource already exists.", $"A resource named '{request.Name}' is {existing.State.ToString().ToLowerInvariant()}.");
        }

        return new RegistrationPlan(
            tenantId,
            request.Name!,
            request.Zone!,
            request.Kind!.Value,
            request.Endpoint!,
            request.DeviceProfile,
            request.ServiceCategories ?? [],
            request.VerificationTimeoutSeconds ?? options.Value.VerificationTimeoutSeconds,
            options.Value.MinimumLibvirtVersion,
            request.Credential,
            request.Members);
    }

    public async Task<Outcome<ResourceRegistration>> GetAsync(string tenantId, string resourceId, CancellationToken cancellationToken)
    {
        var resource = await resources.GetAsync(tenantId, resourceId, cancellationToken);
        return resource is null ? DomainError.NotFound("resource", resourceId) : resource;
    }

    /// <summary>
    /// Records the resource as Verifying for <paramref name="operationId"/>, once its orchestration is scheduled. A record
    /// that already carries this operation is left alone: its orchestration got there first (it writes the decision).
    /// </summary>
    public async Task RecordRequestedAsync(RegistrationPlan plan, string operationId, CancellationToken cancellationToken)
    {
        if ((await resources.GetAsync(plan.TenantId, plan.ResourceId, cancellationToken))?.OperationId == operationId)
        {
            return;
        }

        await resources.UpsertAsync(Requested(plan, operationId, clock.GetUtcNow()), cancellationToken);
    }

    public async Task<Outcome<Page<ResourceRegistration>>> ListAsync(string tenantId, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (Paging.Check(pageSize, continuationToken, out var afterId) is { } invalid)
        {
            return invalid;
        }

        var size = pageSize ?? Paging.DefaultPageSize;
        var page = await resources.ListAsync(tenantId, size, afterId, cancellationToken);
        return new Page<ResourceRegistration>(page, page.Count == size ? ContinuationTokens.Encode(page[^1].ResourceId) : null);
    }

    /// <summary>The instances recorded for a host; another tenant's resource is not found.</summary>
    public async Task<Outcome<IReadOnlyList<ResourceInstance>>> ListInstancesAsync(string tenantId, string resourceId, CancellationToken cancellationToken)
    {
        if (await resources.GetAsync(tenantId, resourceId, cancellationToken) is null)
        {
            return DomainError.NotFound("resource", resourceId);
        }

        return Outcome<IReadOnlyList<ResourceInstance>>.Success(await instances.ListAsync(tenantId, resourceId, cancellationToken));
    }

    /// <summary>
    /// Writes the final state; the record keeps the reasons and the verified capabilities, and a host's instances are
    /// recorded. A missing record (the request's host died between scheduling the orchestration and recording the
    /// request) is written whole from the plan, so no registration ends without its resource.
    /// </summary>
    public async Task RecordDecisionAsync(RegistrationPlan plan, string operationId, RegistrationDecision decision, CancellationToken cancellationToken)
    {
        var current = await resources.GetAsync(plan.TenantId, plan.ResourceId, cancellationToken) ?? Requested(plan, operationId, clock.GetUtcNow());
        await resources.UpsertAsync(
            current with
            {
                State = decision.State,
                Reasons = decision.Reasons,
                Capabilities = decision.Capabilities,
                UpdatedAt = clock.GetUtcNow(),
            },
            cancellationToken);
        if (decision.State == RegistrationState.Registered && plan.Kind == ResourceKind.VirtualizationHost)
        {
            var now = clock.GetUtcNow();
            await instances.ReplaceAllAsync(
                plan.TenantId,
                plan.ResourceId,
                (decision.Instances ?? []).Select(i => new ResourceInstance(plan.TenantId, plan.ResourceId, plan.Zone, i.Name, i.State, now)).ToList(),
                cancellationToken);
        }
    }

    /// <summary>The record of a registration just requested: Verifying, nothing verified yet.</summary>
    private static ResourceRegistration Requested(RegistrationPlan plan, string operationId, DateTimeOffset at) => new(
        plan.TenantId, plan.ResourceId, plan.Zone, plan.Kind, plan.Endpoint, plan.DeviceProfile, plan.ServiceCategories,
        RegistrationState.Verifying, [], new Dictionary<string, string>(), operationId, at, at, plan.Credential);

    private static void ValidateEndpoint(RegisterResourceRequest request, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(request.Endpoint))
        {
            errors.Add(new FieldError("endpoint", "is required: a libvirt URI for a virtualization host, host[:port] for an SNMP appliance."));
            return;
        }

        switch (request.Kind)
        {
            case ResourceKind.VirtualizationHost:
                if (!Uri.TryCreate(request.Endpoint, UriKind.Absolute, out var uri) || !LibvirtSchemes.Contains(uri.Scheme))
                {
                    errors.Add(new FieldError("endpoint", $"must be a libvirt URI with one of the schemes {string.Join(", ", LibvirtSchemes.Order())}, for example qemu:///system."));
                }

                foreach (var (field, value) in new[] { ("deviceProfile", (object?)request.DeviceProfile), ("credential", request.Credential), ("members", request.Members) })
                {
                    if (value is not null)
                    {
                        errors.Add(new FieldError(field, "applies to SNMP appliances only."));
                    }
                }

                break;
            case ResourceKind.SnmpAppliance:
                if (!IsHostAndPort(request.Endpoint))
                {
                    errors.Add(new FieldError("endpoint", "must be host[:port] with a port between 1 and 65535, for example 10.0.0.5:161."));
                }

                FieldRules.Name("deviceProfile", request.DeviceProfile, errors);
                FieldRules.Name("credential", request.Credential, errors);
                ValidateMembers(request.Members, errors);
                break;
        }
    }

    private static bool IsHostAndPort(string endpoint)
    {
        if (endpoint.Any(char.IsWhiteSpace) || endpoint.Contains('/', StringComparison.Ordinal))
        {
            return false;
        }

        return Uri.TryCreate("udp://" + endpoint, UriKind.Absolute, out var uri)
            && uri.HostNameType != UriHostNameType.Unknown
            && uri.Port is > 0 and <= 65535 or -1;
    }

    private static void ValidateMembers(IReadOnlyList<string>? members, List<FieldError> errors)
    {
        if (members is null)
        {
            return;
        }

        if (members.Count > MaxMembers)
        {
            errors.Add(new FieldError("members", $"may hold at most {MaxMembers} entries."));
            return;
        }

        for (var i = 0; i < members.Count; i++)
        {
            if (!FieldRules.IsMemberIndex(members[i]))
            {
                errors.Add(new FieldError($"members[{i}]", "must be index arcs such as 3 or 1.4."));
            }
        }
    }

    private static void ValidateCategories(IReadOnlyList<string>? categories, List<FieldError> errors)
    {
        if (categories is null)
        {
            return;
        }

        if (categories.Count > MaxServiceCategories)
        {
            errors.Add(new FieldError("serviceCategories", $"may hold at most {MaxServiceCategories} entries."));
            return;
        }

        for (var i = 0; i < categories.Count; i++)
        {
            FieldRules.Name($"serviceCategories[{i}]", categories[i], errors);
        }
    }
}
