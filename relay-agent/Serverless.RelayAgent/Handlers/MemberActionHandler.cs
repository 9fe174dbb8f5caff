using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Snmp;
using Serverless.RelayAgent.Snmp;
using Serverless.Snmp;
using Serverless.Snmp.Profiles;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>member.activate</c> and <c>member.deactivate</c> for a member behind an SNMP appliance: applies the profile's sets
/// in one SET (all or none), then reads the profile's health checks. Repeating it is harmless: the sets are absolute.
/// </summary>
public sealed class MemberActionHandler(bool activate, SnmpClient client, SnmpDevices devices, DeviceProfileCatalog profiles, ILogger<MemberActionHandler> logger)
    : ICommandHandler
{
    public string Kind => activate ? CommandKinds.ActivateMember : CommandKinds.DeactivateMember;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.MemberActionPayload);
        if (string.IsNullOrWhiteSpace(payload.ResourceId))
        {
            throw CommandPayload.Invalid("resourceId: required.");
        }

        var member = payload.Snmp ?? throw CommandPayload.Invalid("snmp: required; this agent manages members behind SNMP appliances.");
        var profile = profiles.Get(member.Profile, "snmp.profile");
        var sets = (activate ? profile.Activate : profile.Deactivate).Select(set => new VarBind(Resolve(set.Oid, member.Index), set.Value)).ToList();
        var health = profile.Health.Select(check => (Check: check, Oid: Resolve(check.Oid, member.Index))).ToList();
        var target = await devices.ResolveAsync(member.Device, cancellationToken);

        var applied = await SnmpFailures.TranslateAsync(target, () => client.SetAsync(target, sets, cancellationToken));
        Logs.MemberChanged(logger, payload.ResourceId, activate ? "activated" : "deactivated", target.EndPoint.ToString(), member.Device.Credential, profile.Name);

        bool? healthy = null;
        if (health.Count > 0)
        {
            try
            {
                var values = await SnmpReads.ReadAsync(client, target, health.Select(h => h.Oid), SnmpGetPayload.MaxOids, cancellationToken);
                healthy = health.All(h => h.Check.Healthy.Contains(SnmpBindingText.From(new VarBind(h.Oid, values[h.Oid])).Value, StringComparer.Ordinal));
            }
            catch (Exception exception) when (SnmpFailures.IsSnmpFailure(exception))
            {
                // The change is done; health is read best effort and the next metrics poll reads it again.
                Logs.HealthUnread(logger, payload.ResourceId, exception.Message);
            }
        }

        return CommandPayload.Output(new MemberActionOutput(payload.ResourceId, activate, SnmpBindingText.From(applied), healthy), CommandPayload.Contracts.MemberActionOutput);
    }

    private static Oid Resolve(OidTemplate template, string? index)
    {
        if (template.HasMember && !MemberIndex.IsValid(index))
        {
            throw CommandPayload.Invalid($"snmp.index: the profile's OID {template.Text} needs the member's index arcs, such as 3 or 1.4; got '{index}'.");
        }

        return template.Resolve(index);
    }
}
