using System.Collections.Concurrent;
using Serverless.Contracts.Agents;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Snmp;
using Serverless.Libvirt;

namespace Serverless.RelayAgent.Libvirt;

/// <summary>
/// Host metrics of instances, read through libvirt: <c>memory.kib</c> as the domain reports it and
/// <c>cpu.utilization</c>, the CPU time it used per second per virtual CPU since the previous reading of the same
/// member (so from the second poll on). A domain that is not running gives no samples and says so.
/// </summary>
public sealed class InstanceMetrics(LibvirtHosts hosts, TimeProvider clock)
{
    public const string CpuUtilization = "cpu.utilization";
    public const string MemoryKiB = "memory.kib";

    private readonly ConcurrentDictionary<string, (TimeSpan CpuTime, DateTimeOffset At)> _previous = new(StringComparer.Ordinal);

    public Task<MetricsPollOutput> PollAsync(IReadOnlyList<MetricsPollTarget> targets, CancellationToken cancellationToken) =>
        targets.Count == 0 ? Task.FromResult(new MetricsPollOutput([], [])) : Task.Run(() => Poll(targets), cancellationToken);

    private MetricsPollOutput Poll(IReadOnlyList<MetricsPollTarget> targets)
    {
        var samples = new List<MetricSample>();
        var failures = new List<MetricsPollFailure>();
        foreach (var target in targets)
        {
            var instance = target.Instance!;
            if (!hosts.IsAllowed(instance.Uri))
            {
                failures.Add(new MetricsPollFailure(target.ResourceId, CommandErrorKind.Unauthorized,
                    $"this agent's configuration does not list '{instance.Uri}'; add it to {LibvirtAgentOptions.SectionName}:Uris on the agent host."));
                continue;
            }

            try
            {
                var domain = hosts.Get(instance.Uri).GetDomain(instance.Name);
                var at = clock.GetUtcNow();
                if (domain.State is not (DomainState.Running or DomainState.Blocked))
                {
                    _previous.TryRemove(target.ResourceId, out _);
                    failures.Add(new MetricsPollFailure(target.ResourceId, CommandErrorKind.DeviceError, $"'{instance.Name}' is {InstanceStates.From(domain.State)}: no metrics while it does not run."));
                    continue;
                }

                samples.Add(new MetricSample(target.ResourceId, MemoryKiB, domain.MemoryKiB, at));
                if (_previous.TryGetValue(target.ResourceId, out var previous) && at > previous.At && domain.CpuTime >= previous.CpuTime)
                {
                    var used = (domain.CpuTime - previous.CpuTime).TotalSeconds / (at - previous.At).TotalSeconds / Math.Max(1, domain.VirtualCpus);
                    samples.Add(new MetricSample(target.ResourceId, CpuUtilization, used, at));
                }

                _previous[target.ResourceId] = (domain.CpuTime, at);
            }
            catch (LibvirtException exception)
            {
                var failure = LibvirtFailures.From(exception);
                failures.Add(new MetricsPollFailure(target.ResourceId, failure.Kind, failure.Message));
            }
        }

        return new MetricsPollOutput(samples, failures);
    }
}
