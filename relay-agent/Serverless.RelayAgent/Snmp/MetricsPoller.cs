using Microsoft.Extensions.Options;
using Serverless.Contracts.Agents;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Snmp;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Telemetry;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Snmp;

/// <summary>
/// Reads the load metrics of many members. Members of one device share GETs of up to
/// <see cref="SnmpAgentOptions.MaxOidsPerRequest"/> OIDs, which are pipelined; devices are read in parallel on the one
/// client socket; a device that fails fails only its own members. Counters become rates against the previous reading.
/// </summary>
public sealed class MetricsPoller(SnmpClient client, SnmpDevices devices, DeviceProfileCatalog profiles, IOptions<SnmpAgentOptions> options, TimeProvider clock)
{
    private readonly CounterRates _counters = new();

    /// <summary>Checks the targets and resolves their OIDs; a target that cannot be polled becomes a refusal, not an error.</summary>
    public MetricsPollPlan Prepare(IReadOnlyList<MetricsPollTarget> targets)
    {
        var refused = new List<MetricsPollFailure>();
        var byDevice = new Dictionary<SnmpDevice, List<MetricsPollPlan.MemberReads>>();
        for (var i = 0; i < targets.Count; i++)
        {
            try
            {
                var (device, member) = Resolve(targets[i], i);
                if (!byDevice.TryGetValue(device, out var members))
                {
                    byDevice[device] = members = [];
                }

                members.Add(member);
            }
            catch (CommandFailure failure)
            {
                refused.Add(new MetricsPollFailure(targets[i]?.ResourceId ?? $"targets[{i}]", failure.Kind, failure.Message));
            }
        }

        var plans = byDevice.Select(pair => new MetricsPollPlan.DeviceReads(
            pair.Key, pair.Value, pair.Value.SelectMany(m => m.Metrics.Select(x => x.Oid)).Distinct().ToList())).ToList();
        return new MetricsPollPlan(plans, refused);
    }

    public async Task<MetricsPollOutput> PollAsync(MetricsPollPlan plan, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var perDevice = new (List<MetricSample> Samples, List<MetricsPollFailure> Failures)[plan.Devices.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Devices.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.PollParallelism, CancellationToken = cancellationToken },
            async (index, token) => perDevice[index] = await PollDeviceAsync(plan.Devices[index], token));

        _counters.Forget(clock.GetUtcNow() - CounterRates.Memory);
        var samples = new List<MetricSample>(perDevice.Sum(d => d.Samples.Count));
        var failures = new List<MetricsPollFailure>(plan.Refused);
        foreach (var (deviceSamples, deviceFailures) in perDevice)
        {
            samples.AddRange(deviceSamples);
            failures.AddRange(deviceFailures);
        }

        AgentTelemetry.SnmpPolled(clock.GetElapsedTime(started), plan.Devices.Count);
        return new MetricsPollOutput(samples, failures);
    }

    private (SnmpDevice Device, MetricsPollPlan.MemberReads Member) Resolve(MetricsPollTarget? target, int index)
    {
        if (target is null || string.IsNullOrWhiteSpace(target.ResourceId))
        {
            throw CommandPayload.Invalid($"targets[{index}].resourceId: required.");
        }

        var member = target.Snmp ?? throw CommandPayload.Invalid($"targets[{index}].snmp: required.");
        if (member.Device is null)
        {
            throw CommandPayload.Invalid($"targets[{index}].snmp.device: required.");
        }

        var profile = profiles.Get(member.Profile, $"targets[{index}].snmp.profile");
        try
        {
            var metrics = profile.Load.Select(metric => (metric, metric.Oid.Resolve(member.Index))).ToList();
            return (member.Device with { Address = member.Device.Address.Trim() }, new MetricsPollPlan.MemberReads(target.ResourceId, metrics));
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            throw CommandPayload.Invalid($"targets[{index}].snmp.index: {exception.Message}");
        }
    }

    private async Task<(List<MetricSample>, List<MetricsPollFailure>)> PollDeviceAsync(MetricsPollPlan.DeviceReads device, CancellationToken cancellationToken)
    {
        var samples = new List<MetricSample>(device.Oids.Count);
        var failures = new List<MetricsPollFailure>();
        SnmpTarget target;
        Dictionary<Oid, SnmpValue> values;
        try
        {
            target = await devices.ResolveAsync(device.Device, cancellationToken);
            var resolved = target;
            values = await SnmpFailures.TranslateAsync(resolved, () => SnmpReads.ReadAsync(client, resolved, device.Oids, options.Value.MaxOidsPerRequest, cancellationToken));
        }
        catch (CommandFailure failure)
        {
            failures.AddRange(device.Members.Select(member => new MetricsPollFailure(member.ResourceId, failure.Kind, failure.Message)));
            return (samples, failures);
        }

        var at = clock.GetUtcNow();
        foreach (var member in device.Members)
        {
            List<string>? missing = null;
            foreach (var (metric, oid) in member.Metrics)
            {
                var value = values[oid];
                if (!SnmpBindingText.TryNumber(value, out var number))
                {
                    (missing ??= []).Add($"{metric.Metric} ({oid}: {(value.IsException ? value.Type.ToString() : "not a number")})");
                }
                else if (metric.Kind != "counter")
                {
                    samples.Add(new MetricSample(member.ResourceId, metric.Metric, number * metric.Scale, at));
                }
                else if (_counters.Observe(member.ResourceId, metric.Metric, value, number, at) is { } rate)
                {
                    samples.Add(new MetricSample(member.ResourceId, metric.Metric, rate * metric.Scale, at));
                }
            }

            if (missing is not null)
            {
                failures.Add(new MetricsPollFailure(member.ResourceId, CommandErrorKind.DeviceError, $"{target.EndPoint} has no value for {string.Join(", ", missing)}."));
            }
        }

        return (samples, failures);
    }
}
