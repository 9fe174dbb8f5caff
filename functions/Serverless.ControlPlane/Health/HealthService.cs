using System.Diagnostics;
using System.Reflection;

namespace Serverless.ControlPlane.Health;

/// <summary>
/// Asks every dependency at once, each with its own deadline, so one hung dependency cannot hang the report.
/// Probes come from DI, plus any the caller holds (clients that only a trigger binding can supply).
/// </summary>
public sealed class HealthService(IEnumerable<IHealthProbe> probes, TimeProvider clock)
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public static string Version { get; } =
        typeof(HealthService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public async Task<HealthReport> CheckAsync(IEnumerable<IHealthProbe> additionalProbes, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(probes.Concat(additionalProbes).Select(probe => RunAsync(probe, cancellationToken)));
        return new HealthReport(Version, results.All(r => r.Healthy), results);
    }

    private async Task<DependencyHealth> RunAsync(IHealthProbe probe, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(ProbeTimeout, clock);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await probe.CheckAsync(deadline.Token).WaitAsync(deadline.Token);
            return new DependencyHealth(probe.Name, true, watch.ElapsedMilliseconds, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DependencyHealth(probe.Name, false, watch.ElapsedMilliseconds, $"did not answer within {ProbeTimeout.TotalSeconds:0} s");
        }
#pragma warning disable CA1031 // A health check reports any failure of its dependency instead of failing itself.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new DependencyHealth(probe.Name, false, watch.ElapsedMilliseconds, ex.GetType().Name + ": " + FirstLine(ex.Message));
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
