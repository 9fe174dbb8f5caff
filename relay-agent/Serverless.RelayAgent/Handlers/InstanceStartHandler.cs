using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;

namespace Serverless.RelayAgent.Handlers;

/// <summary><c>instance.start</c>: starts a defined domain; a running one is left as it is, so a repeated command is harmless.</summary>
public sealed class InstanceStartHandler(LibvirtHosts hosts, ILogger<InstanceStartHandler> logger) : ICommandHandler
{
    public string Kind => CommandKinds.StartInstance;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.InstanceStartPayload);
        if (string.IsNullOrEmpty(payload.Name))
        {
            throw CommandPayload.Invalid("name: required.");
        }

        var connection = hosts.ForCommand(payload.Uri);
        try
        {
            var state = await Task.Run(() => Start(connection, payload.Name), cancellationToken);
            Logs.InstanceStarted(logger, payload.Uri, payload.Name, state);
            return CommandPayload.Output(new InstanceStartOutput(payload.Name, state), CommandPayload.Contracts.InstanceStartOutput);
        }
        catch (DomainNotFoundException exception)
        {
            throw new CommandFailure(CommandErrorKind.DeviceError, $"the host has no instance named '{payload.Name}': {exception.Message}");
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }

    private static InstanceState Start(LibvirtConnection connection, string name)
    {
        var state = connection.GetDomain(name).State;
        if (state is DomainState.ShutOff or DomainState.Crashed)
        {
            connection.StartDomain(name);
        }
        else if (state == DomainState.Paused)
        {
            connection.ResumeDomain(name);
        }

        return InstanceStates.From(connection.GetDomain(name).State);
    }
}
