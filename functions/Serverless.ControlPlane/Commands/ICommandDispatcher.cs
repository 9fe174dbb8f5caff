using Serverless.Contracts.Commands;

namespace Serverless.ControlPlane.Commands;

/// <summary>Puts a command on its tenant's queue, in its agent group's session.</summary>
public interface ICommandDispatcher
{
    /// <summary>Sends the command; sending the same command id again is absorbed by the queue's duplicate detection.</summary>
    Task SendAsync(CommandEnvelope command, CancellationToken cancellationToken);

    /// <summary>Sends many commands, as few requests as the queue allows; each is absorbed on a second send like <see cref="SendAsync"/>.</summary>
    Task SendManyAsync(IReadOnlyList<CommandEnvelope> commands, CancellationToken cancellationToken);
}
