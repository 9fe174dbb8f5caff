using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Contracts.Migrations;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Migration;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.revert</c>, a migration's fallback at its source: the domain comes back running from the state file this
/// host saved (the same image, the untouched disk), and the file is deleted. A domain already back (running, or paused
/// because it was only quiesced) is resumed if need be and the file deleted; with neither a running domain nor a saved
/// file there is nothing to bring back, which is a failure saying so. With <c>keepStateFile</c> (a test migration's
/// source, whose state file is still to be uploaded) the file stays.
/// </summary>
public sealed class InstanceRevertHandler(LibvirtHosts hosts, MigrationFiles files, ILogger<InstanceRevertHandler> logger) : ICommandHandler
{
    public string Kind => CommandKinds.RevertInstance;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.InstanceRevertPayload);
        var connection = hosts.ForCommand(payload.Uri);
        try
        {
            var state = await Task.Run(() => Revert(connection, payload), cancellationToken);
            Logs.InstanceReverted(logger, payload.Uri, payload.Name, payload.MigrationId);
            return CommandPayload.Output(new InstanceActionOutput(payload.Name, state), CommandPayload.Contracts.InstanceActionOutput);
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }

    private InstanceState Revert(LibvirtConnection connection, InstanceRevertPayload payload)
    {
        var saved = files.SavedState(payload.MigrationId);
        var found = MigrationChecks.OwnedDomainXml(connection, payload.Name, payload.InstanceId) is not null;
        var state = found ? connection.GetDomain(payload.Name).State : DomainState.ShutOff;
        if (state is DomainState.Paused)
        {
            connection.ResumeDomain(payload.Name);
        }
        else if (state is not (DomainState.Running or DomainState.Blocked))
        {
            if (!File.Exists(saved))
            {
                throw new CommandFailure(CommandErrorKind.DeviceError,
                    $"'{payload.Name}' is not running here and no saved state of migration {payload.MigrationId} is on this host: there is nothing to bring back.");
            }

            connection.RestoreDomain(saved);
        }

        if (!payload.KeepStateFile)
        {
            File.Delete(saved);
        }

        File.Delete(files.PartialSave(payload.MigrationId));
        return InstanceStates.From(connection.GetDomain(payload.Name).State);
    }
}
