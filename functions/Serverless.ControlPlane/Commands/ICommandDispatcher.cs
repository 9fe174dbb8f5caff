using Serverless.Contracts.Commands;

namespace Serverless.ControlPlane.Commands;

/// <summary>Puts a command on its tenant's queue, in its agent group's session.</summary>
public interface ICommandDispatcher
{
    /// <summary>Sends the command; sending the same command id again is absorbed by the queue's duplicate detection.</summary>
    Task SendAsync(CommandEnvelope command, CancellationToken cancellationToken);
}
