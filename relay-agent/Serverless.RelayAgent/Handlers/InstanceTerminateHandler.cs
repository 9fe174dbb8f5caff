using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.terminate</c>: powers the instance's domain off, undefines it and deletes its disk. What is already gone
/// counts as done, so a repeat finishes what a crash interrupted; a domain of the name that is not the instance's is
/// refused, never destroyed.
/// </summary>
public sealed class InstanceTerminateHandler(LibvirtHosts hosts, ILogger<InstanceTerminateHandler> logger) : ICommandHandler
{
    public string Kind => CommandKinds.TerminateInstance;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.InstanceTerminatePayload);
        if (string.IsNullOrEmpty(payload.Name) || string.IsNullOrEmpty(payload.InstanceId))
        {
            throw CommandPayload.Invalid("name, instanceId: both required.");
        }

        var connection = hosts.ForCommand(payload.Uri);
        try
        {
            var output = await Task.Run(() => Terminate(connection, payload), cancellationToken);
            Logs.InstanceTerminated(logger, payload.Uri, payload.Name, output.DomainRemoved, output.VolumeRemoved);
            return CommandPayload.Output(output, CommandPayload.Contracts.InstanceTerminateOutput);
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }

    private static InstanceTerminateOutput Terminate(LibvirtConnection connection, InstanceTerminatePayload payload)
    {
        var (found, owner) = InstanceDefineHandler.ExistingOwner(connection, payload.Name);
        if (found && owner != payload.InstanceId)
        {
            throw new CommandFailure(CommandErrorKind.DeviceError,
                $"the domain named '{payload.Name}' on this host is not instance {payload.InstanceId}; it is left as it is.");
        }

        if (found)
        {
            if (connection.GetDomain(payload.Name).State is not (DomainState.ShutOff or DomainState.Crashed))
            {
                connection.DestroyDomain(payload.Name);
            }

            try
            {
                connection.UndefineDomain(payload.Name);
            }
            catch (DomainNotFoundException)
            {
                // A transient domain (a test migration's copy) is gone once destroyed: it has no definition to remove.
            }
        }

        var volumeRemoved = false;
        if (payload.Volume is { } volume)
        {
            try
            {
                volumeRemoved = connection.DeleteVolume(volume.Pool, volume.Name);
            }
            catch (StorageNotFoundException)
            {
                // The pool itself is gone: so is the volume.
            }
        }

        return new InstanceTerminateOutput(payload.Name, found, volumeRemoved);
    }
}
