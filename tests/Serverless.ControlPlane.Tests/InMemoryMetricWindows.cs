using System.Collections.Concurrent;
using Serverless.ControlPlane.Pools;

namespace Serverless.ControlPlane.Tests;

/// <summary>Readings by key and metric, as the uplink would have stored them.</summary>
public sealed class InMemoryMetricWindows : IMetricWindowStore
{
    private readonly ConcurrentDictionary<(string Key, string Metric), List<MetricPoint>> _points = new();

    public void Add(string key, string metric, params MetricPoint[] points) =>
        _points.GetOrAdd((key, metric), _ => []).AddRange(points);

    public Task<IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>>> ReadAsync(
        string tenantId, IReadOnlyList<string> keys, string metric, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>>>(keys
            .Where(k => _points.ContainsKey((k, metric)))
            .ToDictionary(k => k, k => (IReadOnlyList<MetricPoint>)[.. _points[(k, metric)].Where(p => p.At >= since).OrderBy(p => p.At)]));

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) => Task.FromResult(0);
}
