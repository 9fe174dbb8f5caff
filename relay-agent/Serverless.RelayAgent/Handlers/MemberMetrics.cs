using Serverless.Contracts.Snmp;
using Serverless.RelayAgent.Libvirt;
using Serverless.RelayAgent.Snmp;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// The metrics of a mix of members: appliance members through <see cref="MetricsPoller"/> (a plan prepared once),
/// instances through <see cref="InstanceMetrics"/>. Used by <c>metrics.poll</c> and by metric subscriptions.
/// </summary>
public sealed class MemberMetrics(MetricsPoller snmp, InstanceMetrics instances)
{
    public Plan Prepare(IReadOnlyList<MetricsPollTarget> targets) => new(
        snmp.Prepare([.. targets.Where(t => t?.Instance is null)]),
        [.. targets.Where(t => t?.Instance is not null)]);

    public async Task<MetricsPollOutput> PollAsync(Plan plan, CancellationToken cancellationToken)
    {
        var devices = snmp.PollAsync(plan.Snmp, cancellationToken);
        var hosts = instances.PollAsync(plan.Instances, cancellationToken);
        var (fromDevices, fromHosts) = (await devices, await hosts);
        return new MetricsPollOutput([.. fromDevices.Samples, .. fromHosts.Samples], [.. fromDevices.Failures, .. fromHosts.Failures]);
    }

    /// <summary>Appliance members prepared for SNMP, and the instances read through libvirt.</summary>
    public sealed record Plan(MetricsPollPlan Snmp, IReadOnlyList<MetricsPollTarget> Instances)
    {
        public int Refused => Snmp.Refused.Count;

        public IReadOnlyList<MetricsPollFailure> Refusals => Snmp.Refused;
    }
}
