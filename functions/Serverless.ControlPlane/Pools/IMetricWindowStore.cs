namespace Serverless.ControlPlane.Pools;

/// <summary>The readings agents posted, by member key and metric.</summary>
public interface IMetricWindowStore
{
    /// <summary>Each key's readings of <paramref name="metric"/> since <paramref name="since"/>, oldest first; keys without readings are left out.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>>> ReadAsync(
        string tenantId, IReadOnlyList<string> keys, string metric, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Deletes readings taken before <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
