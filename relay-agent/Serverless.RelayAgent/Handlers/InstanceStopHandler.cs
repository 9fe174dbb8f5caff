using System.Text.Json;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.Libvirt;
using Serverless.RelayAgent.Libvirt;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>instance.stop</c>: asks the guest to shut down, watches the host until the domain is off, and destroys it when the
/// grace period runs out; a grace of 0 powers it off at once. libvirt's calls block, so the work runs off the message
/// pump's thread.
/// </summary>
public sealed class InstanceStopHandler(LibvirtHosts hosts, TimeProvider clock, ILogger<InstanceStopHandler> logger) : ICommandHandler
{
    public const int DefaultGraceSeconds = 60;
    public const int MaxGraceSeconds = 3600;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public string Kind => CommandKinds.StopInstance;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.InstanceStopPayload);
        if (string.IsNullOrEmpty(payload.Name))
        {
            throw CommandPayload.Invalid("name: required.");
        }

        if (payload.GraceSeconds is < 0 or > MaxGraceSeconds)
        {
            throw CommandPayload.Invalid($"graceSeconds: must be 0 to {MaxGraceSeconds}.");
        }

        var connection = hosts.ForCommand(payload.Uri);
        var grace = TimeSpan.FromSeconds(payload.GraceSeconds ?? DefaultGraceSeconds);
        try
        {
            var output = await Task.Run(() => StopAsync(connection, payload.Name, grace, cancellationToken), cancellationToken);
            Logs.InstanceStopped(logger, payload.Uri, payload.Name, output.State, output.Forced, output.Found);
            return CommandPayload.Output(output, CommandPayload.Contracts.InstanceStopOutput);
        }
        catch (LibvirtException exception)
        {
            throw LibvirtFailures.From(exception);
        }
    }

    private async Task<InstanceStopOutput> StopAsync(LibvirtConnection connection, string name, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (StateOf(connection, name) is not { } state)
        {
            return Gone(name, forced: false);
        }

        if (IsOff(state))
        {
            return new InstanceStopOutput(name, InstanceStates.From(state), Forced: false);
        }

        if (grace > TimeSpan.Zero)
        {
            TryStopping(() => connection.ShutdownDomain(name));
        }

        var deadline = clock.GetUtcNow() + grace;
        while (clock.GetUtcNow() < deadline)
        {
            if (StateOf(connection, name) is not { } now)
            {
                return Gone(name, forced: false);
            }

            if (IsOff(now))
            {
                return new InstanceStopOutput(name, InstanceStates.From(now), Forced: false);
            }

            await Task.Delay(PollInterval, clock, cancellationToken);
        }

        TryStopping(() => connection.DestroyDomain(name));
        return StateOf(connection, name) is { } final
            ? new InstanceStopOutput(name, InstanceStates.From(final), Forced: true)
            : Gone(name, forced: true);
    }

    /// <summary>The domain's state, or null when the host has no such domain.</summary>
    private static DomainState? StateOf(LibvirtConnection connection, string name)
    {
        try
        {
            return connection.GetDomain(name).State;
        }
        catch (DomainNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A domain that stopped or vanished between our read and the call refuses it; the next read tells.</summary>
    private static void TryStopping(Action stop)
    {
        try
        {
            stop();
        }
        catch (Exception exception) when (exception is DomainStateException or DomainNotFoundException
            || exception is LibvirtException { Code: LibvirtErrorCode.OperationInvalid or LibvirtErrorCode.InternalError })
        {
        }
    }

    private static bool IsOff(DomainState state) => state is DomainState.ShutOff or DomainState.Crashed;

    private static InstanceStopOutput Gone(string name, bool forced) => new(name, InstanceState.ShutOff, forced, Found: false);
}
