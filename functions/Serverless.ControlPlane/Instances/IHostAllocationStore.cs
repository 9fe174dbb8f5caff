namespace Serverless.ControlPlane.Instances;

/// <summary>Hosts' reservations, partitioned by tenant, keyed by host.</summary>
public interface IHostAllocationStore
{
    Task<IReadOnlyList<HostAllocation>> ListAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>One host's reservations; null when it has never held any.</summary>
    Task<HostAllocation?> GetAsync(string tenantId, string hostId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the host's reservations if nobody wrote them since <see cref="HostAllocation.ETag"/> was read (null: if
    /// none exist yet); false when someone did.
    /// </summary>
    Task<bool> TryWriteAsync(HostAllocation allocation, CancellationToken cancellationToken);
}
