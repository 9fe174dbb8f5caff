using Serverless.Contracts.Commands;

namespace Serverless.ControlPlane.Commands;

/// <summary>Results agents reported, by tenant and command id; the first report of a command wins.</summary>
public interface ICommandResultStore
{
    Task<CommandResult?> GetAsync(string tenantId, string commandId, CancellationToken cancellationToken);

    /// <summary>Stores the result unless one is already stored for the command; true when this call stored it.</summary>
    Task<bool> TryAddAsync(CommandResult result, CancellationToken cancellationToken);
}
