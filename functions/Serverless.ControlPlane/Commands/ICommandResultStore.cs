using Serverless.Contracts.Commands;

namespace Serverless.ControlPlane.Commands;

/// <summary>Results agents reported, by tenant and command id; the first report of a command wins.</summary>
public interface ICommandResultStore
{
    Task<CommandResult?> GetAsync(string tenantId, string commandId, CancellationToken cancellationToken);

    /// <summary>The stored results of <paramref name="commandIds"/>, in their order, null where none is stored: a few reads for many.</summary>
    Task<IReadOnlyList<CommandResult?>> GetManyAsync(string tenantId, IReadOnlyList<string> commandIds, CancellationToken cancellationToken);

    /// <summary>Stores the result unless one is already stored for the command; true when this call stored it.</summary>
    Task<bool> TryAddAsync(CommandResult result, CancellationToken cancellationToken);
}
