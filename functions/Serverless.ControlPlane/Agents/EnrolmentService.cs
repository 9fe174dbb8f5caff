using Microsoft.Extensions.Options;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Security;
using Serverless.ControlPlane.Validation;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Agents;

/// <summary>
/// Agent enrolment, modelled on hybrid activations: an admin creates a code for a zone (expiring, with a usage limit),
/// agents exchange it once each for their own credential. Codes are stored hashed; an unknown code and a wrong secret
/// get the same answer, so codes cannot be probed.
/// </summary>
public sealed class EnrolmentService(
    IEnrolmentStore store, IZoneStore zones, AgentCredentialService credentials, IOptions<CommandChannelOptions> channel, TimeProvider clock)
{
    public const string CodePrefix = "en1.";
    public const int DefaultExpiryHours = 24;
    public const int MaxExpiryHours = 720;
    public const int MaxUsageLimit = 1000;
    private const int ClaimAttempts = 5;

    public async Task<Outcome<CreatedEnrolment>> CreateAsync(string tenantId, CreateEnrolmentRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        FieldRules.Name("zone", request.Zone, errors);
        FieldRules.OptionalText("description", request.Description, errors);
        var now = clock.GetUtcNow();
        if (request.ExpiresInHours is < 1 or > MaxExpiryHours)
        {
            errors.Add(new FieldError("expiresInHours", $"must be 1 to {MaxExpiryHours} (30 days)."));
        }

        if (request.ExpiresAt is { } at && (at <= now || at > now.AddHours(MaxExpiryHours)))
        {
            errors.Add(new FieldError("expiresAt", "must lie in the next 30 days."));
        }

        if (request.ExpiresAt is not null && request.ExpiresInHours is not null)
        {
            errors.Add(new FieldError("expiresAt", "give expiresAt or expiresInHours, not both."));
        }

        if (request.UsageLimit is < 1 or > MaxUsageLimit)
        {
            errors.Add(new FieldError("usageLimit", $"must be 1 to {MaxUsageLimit}."));
        }

        await FieldRules.ZoneExistsAsync(zones, tenantId, "zone", request.Zone, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        var (id, secret, code) = SecretTokens.New(CodePrefix);
        var enrolment = new Enrolment(
            id, tenantId, request.Zone!, SecretTokens.Hash(secret), request.Description, now, request.ExpiresAt ?? now.AddHours(request.ExpiresInHours ?? DefaultExpiryHours),
            request.UsageLimit ?? 1, []);
        await store.AddAsync(enrolment, cancellationToken);
        return new CreatedEnrolment(enrolment, code);
    }

    /// <summary>Exchanges a code for a new agent credential, once per agent and up to the code's usage limit.</summary>
    public async Task<Outcome<EnrolledAgent>> EnrolAsync(EnrolAgentRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        FieldRules.Name("agentId", request.AgentId, errors);
        var parsed = Parse(request.Code);
        if (parsed is null)
        {
            errors.Add(new FieldError("code", $"must be an enrolment code as issued, {CodePrefix}<id>.<secret>."));
        }

        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        var (id, secret) = parsed!.Value;
        for (var attempt = 0; attempt < ClaimAttempts; attempt++)
        {
            var enrolment = await store.GetAsync(id, cancellationToken);
            if (enrolment is null || !SecretTokens.Matches(secret, enrolment.SecretHash))
            {
                return DomainError.Invalid([new FieldError("code", "is not a valid enrolment code; ask your admin for a new one.")]);
            }

            var now = clock.GetUtcNow();
            if (now >= enrolment.ExpiresAt)
            {
                return DomainError.Conflict("The enrolment code has expired.", $"It expired at {enrolment.ExpiresAt:O}; ask your admin for a new one.");
            }

            if (enrolment.EnrolledAgents.Contains(request.AgentId!, StringComparer.Ordinal))
            {
                return DomainError.Conflict("The enrolment code was already used by this agent.",
                    $"Agent '{request.AgentId}' enrolled with this code before; a code is exchanged once per agent. Rotate the agent's credential instead.");
            }

            if (enrolment.EnrolledAgents.Count >= enrolment.UsageLimit)
            {
                return DomainError.Conflict("The enrolment code is used up.",
                    $"It allowed {enrolment.UsageLimit} {(enrolment.UsageLimit == 1 ? "agent" : "agents")} and all have enrolled; ask your admin for a new one.");
            }

            // Claim the use first: if two agents race for the last use, the store lets one of them through.
            if (!await store.TryReplaceAsync(enrolment with { EnrolledAgents = [.. enrolment.EnrolledAgents, request.AgentId!] }, cancellationToken))
            {
                continue;
            }

            var issued = await credentials.IssueAsync(enrolment.TenantId, new IssueAgentCredentialRequest(request.AgentId, enrolment.Zone), cancellationToken);
            return issued.Succeeded
                ? new EnrolledAgent(issued.Value, channel.Value.QueueNameFor(enrolment.TenantId), channel.Value.AgentConnectionFor(enrolment.TenantId))
                : issued.Error;
        }

        return DomainError.Conflict("The enrolment code is busy.", "Many agents are enrolling with this code at once; try again.");
    }

    private static (string Id, string Secret)? Parse(string? code) =>
        SecretTokens.TryParse(CodePrefix, code, out var id, out var secret) && id.All(char.IsAsciiHexDigitLower) ? (id, secret) : null;
}
