using System.Diagnostics;
using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Migrations;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Migration;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.save</c>: libvirt saves the domain's memory to a partial file in the state folder, which is renamed once
/// complete; the domain stops (a persistent one stays defined, shut off: it must not be started from its disk before the
/// image is restored, and the control plane starts nothing while the instance migrates). Sent again after a save, it
/// finds the saved file and the stopped domain and saves nothing twice.
/// </summary>
public sealed class InstanceSaveHandler(LibvirtHosts hosts, MigrationFiles files, ILogger<InstanceSaveHandler> logger) : ICommandHandler
{
    public string Kind => CommandKinds.SaveInstance;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.InstanceSavePayload);
        var connection = hosts.ForCommand(payload.Uri);
        try
        {
            var output = await Task.Run(() => Save(connection, payload), cancellationToken);
            Logs.InstanceSaved(logger, payload.Uri, payload.Name, payload.MigrationId, output.StateBytes, output.Seconds);
            return CommandPayload.Output(output, CommandPayload.Contracts.InstanceSaveOutput);
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }

    private InstanceSaveOutput Save(LibvirtConnection connection, InstanceSavePayload payload)
    {
        var saved = files.SavedState(payload.MigrationId);
        var found = MigrationChecks.OwnedDomainXml(connection, payload.Name, payload.InstanceId) is not null;
        var state = found ? connection.GetDomain(payload.Name).State : DomainState.ShutOff;
        var active = state is DomainState.Running or DomainState.Blocked or DomainState.Paused;
        if (!active && File.Exists(saved))
        {
            return new InstanceSaveOutput(payload.Name, new FileInfo(saved).Length, 0);
        }

        if (!active)
        {
            throw new CommandFailure(CommandErrorKind.DeviceError,
                found ? $"'{payload.Name}' is not running (it is {state}) and no saved state of migration {payload.MigrationId} is here: there is nothing to save."
                      : $"the host has no domain named '{payload.Name}' and no saved state of migration {payload.MigrationId}.");
        }

        var partial = files.PartialSave(payload.MigrationId);
        File.Delete(partial);
        var started = Stopwatch.GetTimestamp();
        connection.SaveDomain(payload.Name, partial);
        File.Move(partial, saved, overwrite: true);
        return new InstanceSaveOutput(payload.Name, new FileInfo(saved).Length, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
