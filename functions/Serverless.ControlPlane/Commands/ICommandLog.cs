namespace Serverless.ControlPlane.Commands;

/// <summary>The audit log of commands sent towards agents, partitioned by tenant.</summary>
public interface ICommandLog
{
    /// <summary>Records the command; recording the same command id again changes nothing.</summary>
    Task RecordAsync(CommandRecord command, CancellationToken cancellationToken);

    /// <summary><see cref="RecordAsync"/> for many, written together where the store can.</summary>
    Task RecordManyAsync(IReadOnlyList<CommandRecord> commands, CancellationToken cancellationToken);

    /// <summary>The commands a workflow instance, or a child of it, sent; oldest first.</summary>
    Task<IReadOnlyList<CommandRecord>> ListForInstanceAsync(string tenantId, string instanceId, CancellationToken cancellationToken);
}
