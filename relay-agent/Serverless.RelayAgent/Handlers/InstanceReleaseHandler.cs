using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Migrations;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Migration;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.release</c> at a migration's source once the target runs the instance: the saved state file, the stopped
/// domain's definition and its disk volume go. A domain of the name that is active is not the saved source: when it runs
/// from another disk (a copy restored on the same hypervisor) it is left alone with its disk; when it runs from the source
/// volume the source was started again behind the migration's back, and nothing is removed. Repeats find what is gone.
/// </summary>
public sealed class InstanceReleaseHandler(LibvirtHosts hosts, MigrationFiles files, ILogger<InstanceReleaseHandler> logger) : ICommandHandler
{
    public string Kind => CommandKinds.ReleaseInstance;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.InstanceReleasePayload);
        var connection = hosts.ForCommand(payload.Uri);
        try
        {
            var output = await Task.Run(() => Release(connection, payload), cancellationToken);
            Logs.InstanceReleased(logger, payload.Uri, payload.Name, payload.MigrationId, string.Join("; ", output.Done));
            return CommandPayload.Output(output, CommandPayload.Contracts.InstanceReleaseOutput);
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }

    private InstanceReleaseOutput Release(LibvirtConnection connection, InstanceReleasePayload payload)
    {
        var done = new List<string>();
        if (MigrationChecks.OwnedDomainXml(connection, payload.Name, payload.InstanceId) is { } xml)
        {
            var state = connection.GetDomain(payload.Name).State;
            var disk = DomainDefinition.FirstDiskFile(xml);
            if (state is DomainState.ShutOff or DomainState.Crashed)
            {
                connection.UndefineDomain(payload.Name);
                done.Add("the saved domain's definition removed");
            }
            else if (payload.Volume is { } volume && disk == volume.Path)
            {
                throw new CommandFailure(CommandErrorKind.DeviceError,
                    $"'{payload.Name}' is {state} here from the source disk: it was started again after it was saved, so nothing is removed.");
            }
            else
            {
                done.Add($"a domain of the name that runs from {disk ?? "no disk"} (a copy restored on this hypervisor) left as it is");
            }
        }

        if (payload.Volume is { } source)
        {
            try
            {
                if (connection.DeleteVolume(source.Pool, source.Name))
                {
                    done.Add($"volume {source.Pool}/{source.Name} deleted");
                }
            }
            catch (StorageNotFoundException)
            {
                // The pool itself is gone: so is the volume.
            }
        }

        if (File.Exists(files.SavedState(payload.MigrationId)))
        {
            File.Delete(files.SavedState(payload.MigrationId));
            done.Add("saved state file deleted");
        }

        return new InstanceReleaseOutput(payload.Name, done);
    }
}
