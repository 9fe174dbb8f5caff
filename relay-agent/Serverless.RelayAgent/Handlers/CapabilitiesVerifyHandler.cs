using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Snmp;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>capabilities.verify</c>, without changing anything. A virtualization host: what <see cref="LibvirtVerifier"/>
/// reports. An SNMP appliance: reachable with the credential, the system group readable, every OID the profile reads
/// readable, and every OID it writes writable, proven by setting the value the device holds back to itself. The answer
/// is a report whose problems say what falls short; only a malformed command fails.
/// </summary>
public sealed class CapabilitiesVerifyHandler(
    SnmpClient client,
    SnmpDevices devices,
    DeviceProfileCatalog profiles,
    LibvirtVerifier libvirt,
    IOptions<SnmpAgentOptions> options,
    ILogger<CapabilitiesVerifyHandler> logger)
    : ICommandHandler
{
    private static readonly Oid SysDescr = Oid.Parse("1.3.6.1.2.1.1.1.0");
    private static readonly Oid SysObjectId = Oid.Parse("1.3.6.1.2.1.1.2.0");
    private static readonly Oid SysUpTime = Oid.Parse("1.3.6.1.2.1.1.3.0");

    public string Kind => CommandKinds.VerifyCapabilities;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.VerifyCapabilitiesPayload);
        if ((payload.Snmp is null) == (payload.Libvirt is null))
        {
            throw CommandPayload.Invalid("snmp, libvirt: give exactly one: an SNMP appliance or a virtualization host.");
        }

        if (payload.Libvirt is { } host)
        {
            if (string.IsNullOrWhiteSpace(host.Uri))
            {
                throw CommandPayload.Invalid("libvirt.uri: required.");
            }

            var verified = libvirt.Verify(host, command.CommandId);
            Logs.HostVerified(logger, host.Uri, verified.Reachable, verified.Problems.Count);
            return CommandPayload.Output(verified, CommandPayload.Contracts.CapabilityVerificationResult);
        }

        var request = payload.Snmp!;
        var profile = profiles.Get(request.Profile, "snmp.profile");
        IReadOnlyList<string?> requested = request.Members is { Count: > 0 } given ? [.. given] : [null];
        var members = CommandPayload.Each(requested, "snmp.members", 100, member =>
            member is null || MemberIndex.IsValid(member)
                ? member
                : throw new FormatException($"'{member}' is not index arcs such as 3 or 1.4."));
        var target = await devices.ResolveAsync(request.Device, cancellationToken);

        var capabilities = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["snmp.profile"] = profile.Name,
            ["snmp.address"] = target.EndPoint.ToString(),
            ["snmp.security"] = Security(target),
        };
        var problems = new List<string>();
        var report = await VerifyAsync(target, profile, members, capabilities, problems, cancellationToken);
        Logs.CapabilitiesVerified(logger, target.EndPoint.ToString(), request.Device.Credential, profile.Name, report.Reachable, problems.Count);
        return CommandPayload.Output(report with { CommandId = command.CommandId }, CommandPayload.Contracts.CapabilityVerificationResult);
    }

    private async Task<CapabilityVerificationResult> VerifyAsync(
        SnmpTarget target, Serverless.Snmp.Profiles.DeviceProfile profile, List<string?> members,
        Dictionary<string, string> capabilities, List<string> problems, CancellationToken cancellationToken)
    {
        Dictionary<Oid, SnmpValue> system;
        try
        {
            system = await SnmpReads.ReadAsync(client, target, [SysDescr, SysObjectId, SysUpTime], 3, cancellationToken);
        }
        catch (Exception exception) when (SnmpFailures.IsSnmpFailure(exception))
        {
            problems.Add(Problem(exception, target));
            return Report(false, capabilities, problems);
        }

        foreach (var (name, oid) in new[] { ("snmp.sysDescr", SysDescr), ("snmp.sysObjectID", SysObjectId), ("snmp.sysUpTime", SysUpTime) })
        {
            var binding = SnmpBindingText.From(new VarBind(oid, system[oid]));
            if (system[oid].IsException)
            {
                problems.Add($"not readable: {oid} ({binding.Type}); every SNMP agent must serve the system group.");
            }
            else
            {
                capabilities[name] = binding.Value;
            }
        }

        var memberIndexes = members.OfType<string>().ToList();
        var skipsMembers = memberIndexes.Count == 0 && profile.VerifyRead.Concat(profile.VerifyWritable).Any(t => t.HasMember);
        var readable = Expand(profile.VerifyRead, members);
        var writable = Expand(profile.VerifyWritable.Concat(profile.Activate.Select(s => s.Oid)), members);
        try
        {
            var values = await SnmpReads.ReadAsync(client, target, readable.Concat(writable), options.Value.MaxOidsPerRequest, cancellationToken);
            foreach (var oid in readable.Concat(writable).Distinct().Where(oid => values[oid].IsException))
            {
                problems.Add($"not readable: {oid} ({SnmpBindingText.From(new VarBind(oid, values[oid])).Type}).");
            }

            foreach (var oid in writable.Where(oid => !values[oid].IsException))
            {
                await CheckWritableAsync(target, new VarBind(oid, values[oid]), problems, cancellationToken);
            }
        }
        catch (Exception exception) when (SnmpFailures.IsSnmpFailure(exception))
        {
            problems.Add(Problem(exception, target));
        }

        capabilities["snmp.readable"] = readable.Count.ToString(CultureInfo.InvariantCulture);
        capabilities["snmp.writable"] = writable.Count.ToString(CultureInfo.InvariantCulture);
        capabilities["snmp.members"] = skipsMembers ? "not checked: no member index given" : string.Join(",", memberIndexes);
        return Report(true, capabilities, problems);
    }

    private async Task CheckWritableAsync(SnmpTarget target, VarBind current, List<string> problems, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(target, Pdu.Set([current]), cancellationToken);
        if (response.ErrorStatus != ErrorStatus.NoError)
        {
            problems.Add($"not writable: {current.Oid} ({response.ErrorStatus}).");
        }
    }

    private static List<Oid> Expand(IEnumerable<Serverless.Snmp.Profiles.OidTemplate> templates, List<string?> members) =>
        templates
            .SelectMany(template => template.HasMember ? members.OfType<string>().Select(template.Resolve) : [template.Resolve(null)])
            .Distinct()
            .ToList();

    private static string Problem(Exception exception, SnmpTarget target)
    {
        var failure = SnmpFailures.From(exception, target);
        var label = failure.Kind switch
        {
            CommandErrorKind.Unauthorized => "wrong credentials",
            CommandErrorKind.Unreachable => "unreachable",
            _ => "device error",
        };
        return $"{label}: {failure.Message}";
    }

    private static string Security(SnmpTarget target) => target switch
    {
        CommunityTarget { Version: SnmpVersion.V1 } => "v1",
        CommunityTarget => "v2c",
        UsmTarget { User: { Priv: not PrivProtocol.None } user } => $"v3 authPriv {user.Auth} {user.Priv}",
        UsmTarget { User: { Auth: not AuthProtocol.None } user } => $"v3 authNoPriv {user.Auth}",
        _ => "v3 noAuthNoPriv",
    };

    private static CapabilityVerificationResult Report(bool reachable, Dictionary<string, string> capabilities, List<string> problems) =>
        new(SchemaVersions.Current, string.Empty, reachable, capabilities, problems);
}
