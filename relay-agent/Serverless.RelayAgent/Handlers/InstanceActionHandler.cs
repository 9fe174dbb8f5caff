using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.reboot</c>, <c>instance.suspend</c> and <c>instance.resume</c>, one handler per kind. Repeats are
/// harmless (a paused instance is not paused again); an action the domain's state does not allow fails saying the state.
/// </summary>
public sealed class InstanceActionHandler(string kind, LibvirtHosts hosts, ILogger<InstanceActionHandler> logger) : ICommandHandler
{
    public string Kind => kind;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.InstanceActionPayload);
        if (string.IsNullOrEmpty(payload.Name))
        {
            throw CommandPayload.Invalid("name: required.");
        }

        var connection = hosts.ForCommand(payload.Uri);
        try
        {
            var state = await Task.Run(() => Act(connection, payload.Name), cancellationToken);
            Logs.InstanceActed(logger, kind, payload.Uri, payload.Name, state);
            return CommandPayload.Output(new InstanceActionOutput(payload.Name, state), CommandPayload.Contracts.InstanceActionOutput);
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

    private InstanceState Act(LibvirtConnection connection, string name)
    {
        var state = connection.GetDomain(name).State;
        var running = state is DomainState.Running or DomainState.Blocked;
        switch (kind)
        {
            case CommandKinds.SuspendInstance when running:
                connection.SuspendDomain(name);
                break;
            case CommandKinds.ResumeInstance when state == DomainState.Paused:
                connection.ResumeDomain(name);
                break;
            case CommandKinds.RebootInstance when running:
                connection.RebootDomain(name);
                break;
            case CommandKinds.SuspendInstance when state == DomainState.Paused:
            case CommandKinds.ResumeInstance when running:
                break;
            default:
                throw new CommandFailure(CommandErrorKind.DeviceError,
                    $"'{name}' is {JsonNamingPolicy.CamelCase.ConvertName(InstanceStates.From(state).ToString())}; {kind} needs it {(kind == CommandKinds.ResumeInstance ? "paused" : "running")}.");
        }

        return InstanceStates.From(connection.GetDomain(name).State);
    }
}
