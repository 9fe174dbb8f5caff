using System.Globalization;
using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Migrations;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Migration;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.restoreCheck</c> at a migration's target: every reason this host could not restore the domain, from its
/// own capabilities (architecture, domain type, machine type, CPU), its storage (the image's pool and its free space)
/// and its domains (one of the name that is someone else's; for a test copy, one of the name at all). Reads only.
/// </summary>
public sealed class RestoreCheckHandler(LibvirtHosts hosts) : ICommandHandler
{
    public string Kind => CommandKinds.CheckRestore;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.RestoreCheckPayload);
        var connection = hosts.ForCommand(payload.Uri);
        try
        {
            var output = await Task.Run(() => Check(connection, payload), cancellationToken);
            return CommandPayload.Output(output, CommandPayload.Contracts.RestoreCheckOutput);
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }

    private RestoreCheckOutput Check(LibvirtConnection connection, RestoreCheckPayload payload)
    {
        var reasons = new List<string>();
        var traits = payload.Traits ?? throw CommandPayload.Invalid("traits: required.");
        var guests = connection.GetCapabilities().Guests.Where(g => g.Architecture == traits.Architecture).ToList();
        if (guests.Count == 0)
        {
            reasons.Add($"the host runs no {traits.Architecture} guests.");
        }
        else if (!guests.Any(g => g.DomainTypes.Contains(traits.DomainType)))
        {
            reasons.Add($"the host offers no '{traits.DomainType}' domains for {traits.Architecture} (it offers {string.Join(", ", guests.SelectMany(g => g.DomainTypes).Distinct())}).");
        }
        else if (traits.Machine is { } machine && !guests.Any(g => g.Machines.Contains(machine)))
        {
            reasons.Add($"the host's hypervisor has no machine type '{machine}' (a restore can only go to the same or a newer QEMU).");
        }

        if (traits.CpuMode == "host-passthrough")
        {
            reasons.Add("the guest's CPU is host-passthrough: its saved state only restores on an identical CPU; migrate it with a named CPU model.");
        }
        else if (traits.Cpu is { } cpu && guests.Any(g => g.DomainTypes.Contains(traits.DomainType)) && !CanProvide(connection, traits, cpu))
        {
            reasons.Add($"the host's hypervisor cannot provide the guest's CPU (model {traits.CpuModel ?? "unnamed"} with its features).");
        }

        string? pool = null;
        if (payload.DiskBytes > 0)
        {
            if (payload.Image is not { } image || hosts.Options.BaseVolumeOf(image) is not { } location)
            {
                reasons.Add($"the agent maps no image '{payload.Image}' to a storage pool ({LibvirtAgentOptions.SectionName}:Images), so the disk has nowhere to go.");
            }
            else
            {
                pool = location.Pool;
                try
                {
                    var free = connection.GetPoolAvailableBytes(pool);
                    if (free < (ulong)payload.DiskBytes)
                    {
                        reasons.Add(string.Create(CultureInfo.InvariantCulture, $"storage pool '{pool}' has {free} bytes free; the disk needs {payload.DiskBytes}."));
                    }

                    if (payload.DiskVolume is { } volume && connection.FindVolume(pool, volume) is not null)
                    {
                        reasons.Add($"storage pool '{pool}' already has a volume named '{volume}'; the disk would overwrite it.");
                    }
                }
                catch (StorageNotFoundException)
                {
                    reasons.Add($"storage pool '{pool}' does not exist on the host.");
                }
            }
        }

        try
        {
            if (MigrationChecks.OwnedDomainXml(connection, payload.Name, payload.InstanceId) is not null && payload.TestCopy)
            {
                reasons.Add($"this host already has the domain '{payload.Name}' (the instance itself: the two zones share a hypervisor); a test copy keeps the instance's name and UUID, as libvirt restores a saved guest under no other, so it can only run on a host that does not run the instance.");
            }
        }
        catch (CommandFailure failure)
        {
            reasons.Add(failure.Message);
        }

        return new RestoreCheckOutput(reasons, pool);
    }

    /// <summary>What the hypervisor says; a driver that cannot compare CPUs (the test driver) raises no objection.</summary>
    private static bool CanProvide(LibvirtConnection connection, DomainTraits traits, string cpu) =>
        connection.HypervisorCanProvideCpu(traits.Architecture, traits.Machine, traits.DomainType, cpu) != false;
}
