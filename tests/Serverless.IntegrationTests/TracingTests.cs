using System.Diagnostics;
using System.Net;
using Serverless.Snmp;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// One trace per operation, through every process: the local host and the relay agents export over OTLP to the
/// fixture's receiver, and each test follows one operation's trace from its start (an HTTP request, a timer tick) to
/// the agent's device call and back to the control plane.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class TracingTests(TracingFixture fixture)
{
    private const int ServerKind = 2;
    private const int ProducerKind = 4;
    private const int ConsumerKind = 5;
    private const string Queue = CommandChannelFixture.QueueName;

    [Fact]
    public async Task Registration_IsOneConnectedTrace_FromTheRequestToTheLibvirtCallAndBack_WithNoSpanRepeatedOnReplay()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpan = ActivitySpanId.CreateRandom().ToHexString();
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, "trace-dc");
        await using var agent = await fixture.StartAgentAsync("agent-trace-dc", "trace-dc", new Dictionary<string, string>
        {
            ["RelayAgent__Libvirt__Uris__0"] = "test:///default",
        });
        using var register = new HttpRequestMessage(HttpMethod.Post, new Uri("api/v1/resources", UriKind.Relative))
        {
            Content = Api.Json("""{"name":"traced-host","zone":"trace-dc","kind":"virtualizationHost","endpoint":"test:///default"}"""),
            Headers = { { "traceparent", $"00-{traceId}-{callerSpan}-01" } },
        };
        using (var accepted = await client.SendAsync(register))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var operationId = (await Api.ReadJsonAsync(accepted)).GetProperty("operationId").GetString()!;
            await Api.WaitForOperationAsync(client, operationId, o => Api.HasStatus(o, "succeeded"), TimeSpan.FromSeconds(60), "the registration to succeed");
        }

        // The orchestration's span is reported when it ends, the last of the trace.
        var spans = await TraceAsync(traceId, s => s.Name == "orchestration:RegistrationOrchestrator", "the registration orchestration's span");
        AssertConnected(spans, callerSpan);

        var request = Assert.Single(spans, s => s.ParentSpanId == callerSpan);
        Assert.Equal((TracingFixture.ControlPlaneService, ServerKind), (request.Service, request.Kind));
        Assert.Equal("api/v1/resources", Route(request));

        var send = Assert.Single(spans, s => s.Kind == ProducerKind && s.Name == $"send {Queue}" && s.Attribute("command.kind") == "capabilities.verify");
        Assert.Equal(("servicebus", Queue), (send.Attribute("messaging.system"), send.Attribute("messaging.destination.name")));
        var process = Assert.Single(spans, s => s.ParentSpanId == send.SpanId);
        Assert.Equal((TracingFixture.AgentService, ConsumerKind, $"process {Queue}"), (process.Service, process.Kind, process.Name));
        var execute = Assert.Single(spans, s => s.ParentSpanId == process.SpanId && s.Name == "execute capabilities.verify");
        var libvirt = spans.Where(s => s.Scope == "Serverless.Libvirt" && IsUnder(spans, s, execute)).ToList();
        Assert.Contains(libvirt, s => s.Name == "virConnectGetType" && s.Attribute("libvirt.uri") == "test:///default");
        Assert.Contains(libvirt, s => s.Name == "virConnectGetCapabilities");

        // Back: the agent's result post, taken by the control plane, raises the event the orchestration goes on with.
        var post = Only(spans, s => s.Service == TracingFixture.AgentService && s.Scope == "System.Net.Http" && IsUnder(spans, s, process), "the agent's result post");
        var uplink = Assert.Single(spans, s => s.ParentSpanId == post.SpanId);
        Assert.Equal((TracingFixture.ControlPlaneService, ServerKind, "api/v1/agent/results"), (uplink.Service, uplink.Kind, Route(uplink)));
        Assert.Contains(spans, s => s.Name.StartsWith("orchestration_event:CommandResult:", StringComparison.Ordinal) && IsUnder(spans, s, uplink));

        // Replayed episodes (extended sessions are off) report nothing again: one orchestration span, one per activity run.
        Assert.Single(spans, s => s.Name == "orchestration:RegistrationOrchestrator");
        Assert.All(spans.GroupBy(s => s.SpanId), g => Assert.Single(g));
        var activities = spans.Where(s => s.Name.StartsWith("activity:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(activities);
        Assert.All(activities.GroupBy(s => (s.Name, s.Kind, s.Attribute("durabletask.task.task_id"))), g => Assert.Single(g));

        // The agent's log names the trace, in its console line and in its exported log records.
        Assert.Contains($"(capabilities.verify) Succeeded", agent.Output, StringComparison.Ordinal);
        Assert.Contains($"trace {traceId}", agent.Output, StringComparison.Ordinal);
        await Eventually.TrueAsync(
            () => fixture.Receiver.Logs.Any(l => l.Service == TracingFixture.AgentService && l.TraceId == traceId
                && l.Attributes.GetValueOrDefault("Kind") == "capabilities.verify" && l.Attributes.GetValueOrDefault("Status") == "Succeeded"),
            TimeSpan.FromSeconds(20), "the agent's exported log record of the command, with the trace id");
    }

    [Fact]
    public async Task PoolActivation_IsOneTraceFromTheTimerTick_ThroughTheOrchestration_ToTheSnmpSetAndItsResult()
    {
        await using var appliance = await LoadBalancerAppliance.StartAsync(members: 1);
        appliance.SetAdminState(1, 2);
        using var client = fixture.Host.CreateClient();
        var (agent, pool) = await LoadBalancerPools.CreateAsync(fixture, client, appliance, "trace-lb");
        await using var _ = agent;

        await using (var snmp = new SnmpClient())
        {
            var target = new CommunityTarget(appliance.Snmpd.EndPoint, SnmpdProcess.ReadCommunity);
            await Eventually.GetAsync(
                async () => (await snmp.GetAsync(target, [Oid.Parse($"{LoadBalancerAppliance.BaseOid}.1.1")]))[0].Value.AsInt32() == 1 ? "up" : null,
                TimeSpan.FromSeconds(30), "lb-1 put in service on the device for the pool's minimum");
        }

        // The agent's SNMP set that put the member in service names the trace; the trace's root is the timer tick.
        var set = await Eventually.GetAsync(
            () => Task.FromResult(fixture.Receiver.Spans.FirstOrDefault(s => s.Service == TracingFixture.AgentService && s.Name == "snmp SetRequest"
                && fixture.Receiver.Trace(s.TraceId).Any(p => p.Name == "execute member.activate"))),
            TimeSpan.FromSeconds(20), "the agent's span of the SNMP set");
        var spans = await TraceAsync(set.TraceId, s => Route(s) == "api/v1/agent/results", "the result's uplink span");
        var root = Assert.Single(spans, s => s.ParentSpanId.Length == 0);
        Assert.Equal((TracingFixture.ControlPlaneService, "timer EvaluatePools"), (root.Service, root.Name));
        AssertConnected(spans, null);

        var orchestration = Assert.Single(spans, s => s.Name == "orchestration:PoolEvaluationOrchestrator");
        var partition = spans.Single(s => s.Name == "activity:EvaluatePoolPartition" && s.Kind == ServerKind && IsUnder(spans, s, orchestration) && spans.Any(c => c.ParentSpanId == s.SpanId && c.Kind == ProducerKind));
        var send = Assert.Single(spans, s => s.Kind == ProducerKind && s.Attribute("command.kind") == "member.activate" && IsUnder(spans, s, partition));
        var process = Assert.Single(spans, s => s.ParentSpanId == send.SpanId && s.Kind == ConsumerKind);
        var execute = Assert.Single(spans, s => s.ParentSpanId == process.SpanId && s.Name == "execute member.activate");
        Assert.True(IsUnder(spans, set, execute), "the SNMP set runs inside the command's execution");
        Assert.Equal((appliance.Snmpd.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), 0), (set.Attribute("server.port"), set.StatusCode));
        var post = Only(spans, s => s.Service == TracingFixture.AgentService && s.Scope == "System.Net.Http" && IsUnder(spans, s, process), "the agent's result post");
        Assert.Contains(spans, s => s.ParentSpanId == post.SpanId && Route(s) == "api/v1/agent/results");

        // The instruments of the same run reached the receiver from both sides.
        await Eventually.TrueAsync(() => new[]
            {
                (TracingFixture.ControlPlaneService, "serverless.commands.sent"),
                (TracingFixture.ControlPlaneService, "serverless.commands.completed"),
                (TracingFixture.ControlPlaneService, "serverless.command.duration"),
                (TracingFixture.ControlPlaneService, "serverless.pool.decisions"),
                (TracingFixture.ControlPlaneService, "serverless.pool.members.active"),
                (TracingFixture.ControlPlaneService, "serverless.agent.heartbeats"),
                (TracingFixture.AgentService, "serverless.agent.commands.executed"),
                (TracingFixture.AgentService, "serverless.agent.command.duration"),
                (TracingFixture.AgentService, "serverless.agent.snmp.poll.duration"),
            }.All(fixture.Receiver.Metrics.Contains),
            TimeSpan.FromSeconds(30), "the control plane's and the agent's metrics");

        using var deleted = await client.DeleteAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative));
        Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());
    }

    /// <summary>The trace's spans once one of them satisfies <paramref name="last"/>, and two export rounds later.</summary>
    private async Task<IReadOnlyList<ReceivedSpan>> TraceAsync(string traceId, Func<ReceivedSpan, bool> last, string what)
    {
        try
        {
            await Eventually.TrueAsync(() => fixture.Receiver.Trace(traceId).Any(last), TimeSpan.FromSeconds(30), what);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"{exception.Message} The trace so far:\n{Tree(fixture.Receiver.Trace(traceId))}", exception);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        return fixture.Receiver.Trace(traceId);
    }

    /// <summary>Every span's parent is in the trace, but for its root, whose parent is <paramref name="callerSpan"/> (or none).</summary>
    private static void AssertConnected(IReadOnlyList<ReceivedSpan> spans, string? callerSpan)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var orphans = spans.Where(s => !ids.Contains(s.ParentSpanId) && s.ParentSpanId != (callerSpan ?? string.Empty)).ToList();
        Assert.True(orphans.Count == 0, $"spans whose parent is not in the trace: {string.Join(", ", orphans.Select(o => $"{o.Service}/{o.Name}"))}\n{Tree(spans)}");
    }

    private static bool IsUnder(IReadOnlyList<ReceivedSpan> spans, ReceivedSpan span, ReceivedSpan ancestor)
    {
        var byId = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            if (parent.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    private static ReceivedSpan Only(IReadOnlyList<ReceivedSpan> spans, Func<ReceivedSpan, bool> predicate, string what)
    {
        var matches = spans.Where(predicate).ToList();
        Assert.True(matches.Count == 1, $"{matches.Count} spans for {what}, not one, in the trace:\n{Tree(spans)}");
        return matches[0];
    }

    private static string? Route(ReceivedSpan span) => span.Attribute("http.route")?.TrimStart('/');

    private static string Tree(IReadOnlyList<ReceivedSpan> spans) =>
        string.Join("\n", spans.OrderBy(s => s.StartUnixNano).Select(s => $"{s.SpanId} <- {s.ParentSpanId,-16} {s.Service}/{s.Scope}: {s.Name} (kind {s.Kind}) {string.Join(' ', s.Attributes.Select(a => $"{a.Key}={a.Value}"))}"));
}
