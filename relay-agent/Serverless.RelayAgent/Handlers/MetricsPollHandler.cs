using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Contracts.Agents;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Snmp;
using Serverless.RelayAgent.Snmp;
using Serverless.Snmp;
using Serverless.Snmp.Profiles;

namespace Serverless.RelayAgent.Handlers;

/// <summary>
/// <c>metrics.poll</c>: reads the load metrics of many members. Members of one device share GETs of up to
/// <see cref="SnmpAgentOptions.MaxOidsPerRequest"/> OIDs, devices are read in parallel on the one client socket, and a
/// device that fails fails only its own members. Counters become rates against this agent's previous reading.
/// </summary>
public sealed class MetricsPollHandler(
    SnmpClient client, SnmpDevices devices, DeviceProfileCatalog profiles, IOptions<SnmpAgentOptions> options, TimeProvider clock, ILogger<MetricsPollHandler> logger)
    : ICommandHandler
{
    private readonly CounterRates _counters = new();

    public string Kind => CommandKinds.PollMetrics;

    public async Task<JsonElement> ExecuteAsync(CommandEnvelope command, CancellationToken cancellationToken)
    {
        var payload = CommandPayload.Read(command, CommandPayload.Contracts.MetricsPollPayload);
        var targets = CommandPayload.Each(payload.Targets, "targets", MetricsPollPayload.MaxTargets, target => target);
        var samples = new ConcurrentBag<MetricSample>();
        var failures = new ConcurrentBag<MetricsPollFailure>();
        var reads = new List<MemberRead>();
        for (var i = 0; i < targets.Count; i++)
        {
            try
            {
                reads.Add(Plan(targets[i], i));
            }
            catch (CommandFailure failure)
            {
                failures.Add(new MetricsPollFailure(targets[i].ResourceId ?? $"targets[{i}]", failure.Kind, failure.Message));
            }
        }

        var byDevice = reads.GroupBy(read => read.Member.Device with { Address = read.Member.Device.Address.Trim() });
        await Parallel.ForEachAsync(byDevice, new ParallelOptions { MaxDegreeOfParallelism = options.Value.PollParallelism, CancellationToken = cancellationToken },
            async (device, token) => await PollDeviceAsync(device.Key, [.. device], samples, failures, token));

        _counters.Forget(clock.GetUtcNow() - CounterRates.Memory);
        var output = new MetricsPollOutput([.. samples.OrderBy(s => s.ResourceId, StringComparer.Ordinal).ThenBy(s => s.Metric, StringComparer.Ordinal)], [.. failures]);
        Logs.MetricsPolled(logger, targets.Count, output.Samples.Count, output.Failures.Count);
        return CommandPayload.Output(output, CommandPayload.Contracts.MetricsPollOutput);
    }

    private MemberRead Plan(MetricsPollTarget target, int index)
    {
        if (string.IsNullOrWhiteSpace(target.ResourceId))
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
            return new MemberRead(target.ResourceId, member, profile.Load.Select(metric => (metric, metric.Oid.Resolve(member.Index))).ToList());
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            throw CommandPayload.Invalid($"targets[{index}].snmp.index: {exception.Message}");
        }
    }

    private async Task PollDeviceAsync(
        SnmpDevice device, List<MemberRead> members, ConcurrentBag<MetricSample> samples, ConcurrentBag<MetricsPollFailure> failures, CancellationToken cancellationToken)
    {
        SnmpTarget target;
        Dictionary<Oid, SnmpValue> values;
        try
        {
            target = await devices.ResolveAsync(device, cancellationToken);
            var resolved = target;
            values = await SnmpFailures.TranslateAsync(resolved, () =>
                SnmpReads.ReadAsync(client, resolved, members.SelectMany(m => m.Metrics.Select(x => x.Oid)), options.Value.MaxOidsPerRequest, cancellationToken));
        }
        catch (CommandFailure failure)
        {
            foreach (var member in members)
            {
                failures.Add(new MetricsPollFailure(member.ResourceId, failure.Kind, failure.Message));
            }

            return;
        }

        var at = clock.GetUtcNow();
        foreach (var member in members)
        {
            var missing = new List<string>();
            foreach (var (metric, oid) in member.Metrics)
            {
                var value = values[oid];
                if (!SnmpBindingText.TryNumber(value, out var number))
                {
                    missing.Add($"{metric.Metric} ({oid}: {(value.IsException ? value.Type.ToString() : "not a number")})");
                }
                else if (Sample(member.ResourceId, metric, value, number, at) is { } sample)
                {
                    samples.Add(sample);
                }
            }

            if (missing.Count > 0)
            {
                failures.Add(new MetricsPollFailure(member.ResourceId, CommandErrorKind.DeviceError, $"{target.EndPoint} has no value for {string.Join(", ", missing)}."));
            }
        }
    }

    private MetricSample? Sample(string resourceId, LoadMetric metric, SnmpValue value, double number, DateTimeOffset at)
    {
        if (metric.Kind != "counter")
        {
            return new MetricSample(resourceId, metric.Metric, number * metric.Scale, at);
        }

        return _counters.Observe(resourceId, metric.Metric, value, number, at) is { } rate ? new MetricSample(resourceId, metric.Metric, rate * metric.Scale, at) : null;
    }

    private sealed record MemberRead(string ResourceId, SnmpMember Member, List<(LoadMetric Metric, Oid Oid)> Metrics);
}
