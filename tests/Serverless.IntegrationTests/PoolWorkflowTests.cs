using System.Net;
using Serverless.Snmp;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// A hybrid pool end to end: a simulated load balancer (snmpd) in a client zone with its relay agent, a libvirt
/// test-driver host in a provider zone with another agent, the local host's evaluator ticking every
/// <see cref="CommandChannelFixture.PoolTickSeconds"/> s. The agents poll the appliance's load on subscription and post
/// it over the uplink; the evaluator activates and deactivates members through Service Bus, and the test checks the
/// device with its own SNMP reads.
/// </summary>
[Collection(CommandChannelCollection.Name)]
public sealed class PoolWorkflowTests(CommandChannelFixture fixture)
{
    private const string AdminStateOid = "1.3.6.1.4.1.8072.9999.1.1";
    private const int HoldSeconds = 10;

    [Fact]
    public async Task HybridPool_LoadUpAndDown_ActivatesAndDeactivatesOnTheDevice_AndALostZoneIsReplacedByTheOther()
    {
        await using var appliance = await LoadBalancerAppliance.StartAsync(members: 2);
        appliance.SetAdminState(1, 2);
        appliance.SetAdminState(2, 2);
        using var client = fixture.Host.CreateClient();
        await Api.CreateZoneAsync(client, "hybrid-cloud", "provider");
        var lbAgent = await fixture.StartAgentAsync("agent-hybrid-dc", "hybrid-dc", new Dictionary<string, string>(LoadBalancerPools.CredentialSettings)
        {
            ["RelayAgent__HeartbeatIntervalSeconds"] = "2",
        });
        await using var cloudAgent = await fixture.StartAgentAsync("agent-hybrid-cloud", "hybrid-cloud", new Dictionary<string, string>
        {
            ["RelayAgent__Libvirt__Uris__0"] = "test:///default",
            ["RelayAgent__HeartbeatIntervalSeconds"] = "2",
        });
        try
        {
            var lb = await LoadBalancerPools.RegisterAsync(client, "hybrid-dc", appliance);
            var kvm = await Api.RegisteredAsync(client, "hybrid-cloud", """{"kind":"virtualizationHost","endpoint":"test:///default"}""");
            var pool = "hybrid-" + Guid.NewGuid().ToString("N")[..6];
            using (var created = await client.PostAsync(new Uri("api/v1/pools", UriKind.Relative), Api.Json($$$"""
                {"name":"{{{pool}}}","serviceKind":"loadBalancer",
                 "members":[{"id":"lb-1","resource":"{{{lb}}}","index":"1"},{"id":"lb-2","resource":"{{{lb}}}","index":"2"},{"id":"vm-1","resource":"{{{kvm}}}","instance":"test"}],
                 "policy":{"metric":"connections.active","activateAbove":100,"activateAfterSeconds":{{{HoldSeconds}}},"deactivateBelow":40,"deactivateAfterSeconds":{{{HoldSeconds}}},
                           "cooldownSeconds":0,"minActive":1,"maxActive":3,"step":1,"preference":"clientFirst","metricsIntervalSeconds":5,"actionTimeoutSeconds":60}}
                """)))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            // The minimum: the client zone's first member comes up on the device.
            await WaitForDeviceAsync(appliance, [1, 2], "lb-1 up for the minimum");
            await WaitForMembersAsync(client, pool, "lb-1:active,lb-2:inactive,vm-1:inactive", "lb-1 active");

            // Load above 100 on the only active member, held for the hold time: lb-2 comes up within two ticks after it.
            appliance.SteerLoad(1, 400, 80);
            await WaitForDeviceAsync(appliance, [1, 1], "lb-2 up once the load held above 100");
            await WaitForMembersAsync(client, pool, "lb-1:active,lb-2:active,vm-1:inactive", "lb-2 active");

            // Load below 40 on both, held: one member goes down again (the last in preference order).
            appliance.SteerLoad(1, 10, 5);
            appliance.SteerLoad(2, 10, 5);
            await WaitForDeviceAsync(appliance, [1, 2], "lb-2 down once the load held below 40");
            await WaitForMembersAsync(client, pool, "lb-1:active,lb-2:inactive,vm-1:inactive", "lb-2 inactive");

            // The client zone's agent dies: its members are not counted nor chosen, and the provider zone meets the minimum.
            await lbAgent.KillAsync();
            await WaitForMembersAsync(client, pool, "lb-1:active,lb-2:inactive,vm-1:active", "vm-1 active in the provider zone",
                TimeSpan.FromSeconds(CommandChannelFixture.DisconnectedAfterSeconds + 45));

            var reasons = await EventReasonsAsync(client, pool);
            Assert.Contains(reasons, r => r.StartsWith("load ", StringComparison.Ordinal) && r.Contains("above 100", StringComparison.Ordinal));
            Assert.Contains(reasons, r => r.StartsWith("load ", StringComparison.Ordinal) && r.Contains("below 40", StringComparison.Ordinal));
            Assert.Contains(reasons, r => r.Contains("below the minimum of 1", StringComparison.Ordinal));
            Assert.Contains(reasons, r => r.StartsWith("agent agent-hybrid-cloud confirmed the activation", StringComparison.Ordinal));
        }
        finally
        {
            await lbAgent.DisposeAsync();
        }
    }

    [Fact]
    public async Task PoolStartsADomainThatWasOff_TheHostsRecordShowsItRunning_AndBlocksUnforcedUnregistrationOnceThePoolIsGone()
    {
        var folder = RepositoryPaths.NewScratchFolder("pool-records");
        try
        {
            // A host of its own whose one domain is defined but shut off.
            var uri = TestDriverNode.Write(folder, ("web-off", false));
            using var client = fixture.Host.CreateClient();
            await Api.CreateZoneAsync(client, "records-cloud", "provider");
            await using var agent = await fixture.StartAgentAsync("agent-records", "records-cloud", new Dictionary<string, string>
            {
                ["RelayAgent__Libvirt__Uris__0"] = uri,
                ["RelayAgent__HeartbeatIntervalSeconds"] = "2",
            });
            var host = await Api.RegisteredAsync(client, "records-cloud", $$"""{"kind":"virtualizationHost","endpoint":"{{uri}}"}""");
            Assert.Equal("web-off:shutOff", await InstancesAsync(client, host));

            var pool = "records-" + Guid.NewGuid().ToString("N")[..6];
            using (var created = await client.PostAsync(new Uri("api/v1/pools", UriKind.Relative), Api.Json($$$"""
                {"name":"{{{pool}}}","serviceKind":"compute","members":[{"id":"vm-1","resource":"{{{host}}}","instance":"web-off"}],
                 "policy":{"metric":"cpu.utilization","activateAbove":90,"activateAfterSeconds":60,"deactivateBelow":10,"deactivateAfterSeconds":60,
                           "cooldownSeconds":0,"minActive":1,"maxActive":1,"metricsIntervalSeconds":5,"actionTimeoutSeconds":60}}
                """)))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            await WaitForMembersAsync(client, pool, "vm-1:active", "vm-1 started for the minimum");
            Assert.Equal("web-off:running", await InstancesAsync(client, host));

            using (var deleted = await client.DeleteAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative)))
            {
                Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());
            }

            using var blocked = await client.DeleteAsync(new Uri($"api/v1/resources/{host}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
            var item = Assert.Single((await Api.ReadJsonAsync(blocked)).GetProperty("blockingItems").EnumerateArray());
            Assert.Equal(("instance", "web-off"), (item.GetProperty("kind").GetString(), item.GetProperty("id").GetString()));
        }
        finally
        {
            RepositoryPaths.DeleteScratchFolder(folder);
        }
    }

    [Fact]
    public async Task ScheduleWindow_OpeningRaisesTheActiveMembersOnTheDeviceAtItsStart_NotBefore()
    {
        await using var appliance = await LoadBalancerAppliance.StartAsync(members: 3);
        foreach (var member in new[] { 1, 2, 3 })
        {
            appliance.SetAdminState(member, 2);
        }

        using var client = fixture.Host.CreateClient();
        await using var agent = await fixture.StartAgentAsync("agent-sched-dc", "sched-dc", LoadBalancerPools.CredentialSettings);
        var lb = await LoadBalancerPools.RegisterAsync(client, "sched-dc", appliance);

        // A daily window starting 12 s from now (in seconds, so the test need not wait for a minute to turn), in UTC.
        var start = DateTimeOffset.UtcNow.AddSeconds(12);
        start = start.AddTicks(-(start.Ticks % TimeSpan.TicksPerSecond));
        var pool = "sched-" + Guid.NewGuid().ToString("N")[..6];
        using (var created = await client.PostAsync(new Uri("api/v1/pools", UriKind.Relative), Api.Json($$$"""
            {"name":"{{{pool}}}","serviceKind":"loadBalancer",
             "members":[{"id":"lb-1","resource":"{{{lb}}}","index":"1"},{"id":"lb-2","resource":"{{{lb}}}","index":"2"},{"id":"lb-3","resource":"{{{lb}}}","index":"3"}],
             "policy":{"metric":"connections.active","activateAbove":1000,"activateAfterSeconds":60,"deactivateBelow":-1,"deactivateAfterSeconds":60,
                       "cooldownSeconds":0,"minActive":1,"maxActive":1,"metricsIntervalSeconds":5,"actionTimeoutSeconds":60,
                       "schedule":[{"name":"rush","cron":"{{{start.Second}}} {{{start.Minute}}} {{{start.Hour}}} * * *","timeZone":"UTC","durationMinutes":5,"minActive":3,"maxActive":3}]}}
            """)))
        {
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        await WaitForDeviceAsync(appliance, [1, 2, 2], "lb-1 up for the policy's minimum");
        using (var shown = await client.GetAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative)))
        {
            var window = (await Api.ReadJsonAsync(shown)).GetProperty("schedule").EnumerateArray().Single();
            Assert.Equal(("rush", false, start), (window.GetProperty("name").GetString(), window.GetProperty("inForce").GetBoolean(), window.GetProperty("startsAt").GetDateTimeOffset()));
        }

        await WaitForDeviceAsync(appliance, [1, 1, 1], "all three up once the window opened", TimeSpan.FromSeconds(60));
        var seenAt = DateTimeOffset.UtcNow;
        Assert.True(seenAt >= start, $"the window's floor was met at {seenAt:O}, before its start {start:O}");
        await WaitForMembersAsync(client, pool, "lb-1:active,lb-2:active,lb-3:active", "all three active");
        Assert.Contains(await EventReasonsAsync(client, pool), r => r.Contains("below the minimum of 3 (window 'rush')", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Budget_HoldsBackAnActivationTheLoadAsksFor_SayingWhyInTheEvents_AndAMinimumPastItIsRefused()
    {
        await using var appliance = await LoadBalancerAppliance.StartAsync(members: 2);
        appliance.SetAdminState(1, 2);
        appliance.SetAdminState(2, 2);
        using var client = fixture.Host.CreateClient();
        await using var agent = await fixture.StartAgentAsync("agent-budget-dc", "budget-dc", LoadBalancerPools.CredentialSettings);
        var lb = await LoadBalancerPools.RegisterAsync(client, "budget-dc", appliance);
        var pool = "budget-" + Guid.NewGuid().ToString("N")[..6];
        string Body(int minActive) => $$$"""
            {"name":"{{{pool}}}","serviceKind":"loadBalancer",
             "members":[{"id":"lb-1","resource":"{{{lb}}}","index":"1","costPerHour":1},{"id":"lb-2","resource":"{{{lb}}}","index":"2","costPerHour":1}],
             "policy":{"metric":"connections.active","activateAbove":100,"activateAfterSeconds":{{{HoldSeconds}}},"deactivateBelow":40,"deactivateAfterSeconds":600,
                       "cooldownSeconds":0,"minActive":{{{minActive}}},"maxActive":2,"metricsIntervalSeconds":5,"actionTimeoutSeconds":60,"budget":{"perHour":1.5} } }
            """;
        using (var refused = await client.PostAsync(new Uri("api/v1/pools", UriKind.Relative), Api.Json(Body(2))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.StartsWith("2 running member(s) cost at least 2/h, above budget.perHour 1.5",
                (await Api.ReadJsonAsync(refused)).GetProperty("errors").GetProperty("policy.minActive")[0].GetString(), StringComparison.Ordinal);
        }

        using (var created = await client.PostAsync(new Uri("api/v1/pools", UriKind.Relative), Api.Json(Body(1))))
        {
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        await WaitForDeviceAsync(appliance, [1, 2], "lb-1 up for the minimum, within the budget");
        await WaitForMembersAsync(client, pool, "lb-1:active,lb-2:inactive", "lb-1 active");

        // The load alone would bring lb-2 up; a second member would cost 2/h against a budget of 1.5/h.
        appliance.SteerLoad(1, 400, 80);
        var held = await Eventually.GetAsync(async () => (await EventReasonsAsync(client, pool)).FirstOrDefault(r => r.Contains("not activated: budget", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(HoldSeconds + 30), "the budget's refusal in the pool's events");
        Assert.Contains("above 100", held, StringComparison.Ordinal);
        Assert.Contains("lb-2 would take the running cost to 2/h, above the hourly budget of 1.5", held, StringComparison.Ordinal);
        await WaitForDeviceAsync(appliance, [1, 2], "lb-2 still down on the device");
        using var shown = await client.GetAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative));
        var spend = (await Api.ReadJsonAsync(shown)).GetProperty("spend");
        Assert.Equal((1.0, true, 1.5), (spend.GetProperty("ratePerHour").GetDouble(), spend.GetProperty("heldByBudget").GetBoolean(), spend.GetProperty("budget").GetProperty("perHour").GetDouble()));
        Assert.True(spend.GetProperty("spentThisMonth").GetDouble() > 0, spend.ToString());
    }

    private static async Task<string> InstancesAsync(HttpClient client, string host)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/resources/{host}/instances", UriKind.Relative));
        return string.Join(",", (await Api.ReadJsonAsync(response)).GetProperty("items").EnumerateArray()
            .Select(i => $"{i.GetProperty("name").GetString()}:{i.GetProperty("state").GetString()}"));
    }

    /// <summary>Reads the members' admin states from the device over SNMP until they are <paramref name="expected"/>.</summary>
    private static async Task WaitForDeviceAsync(LoadBalancerAppliance appliance, int[] expected, string what, TimeSpan? timeout = null)
    {
        await using var snmp = new SnmpClient();
        var target = new CommunityTarget(appliance.Snmpd.EndPoint, SnmpdProcess.ReadCommunity);
        var oids = expected.Select((_, i) => Oid.Parse($"{AdminStateOid}.{i + 1}")).ToList();
        await Eventually.GetAsync(async () =>
        {
            var states = (await snmp.GetAsync(target, oids)).Select(b => b.Value.AsInt32()).ToArray();
            return states.SequenceEqual(expected) ? states : null;
        }, timeout ?? TimeSpan.FromSeconds(HoldSeconds + 30), what);
    }

    private static async Task WaitForMembersAsync(HttpClient client, string pool, string expected, string what, TimeSpan? timeout = null)
    {
        await Eventually.GetAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri($"api/v1/pools/{pool}", UriKind.Relative));
            var members = (await Api.ReadJsonAsync(response)).GetProperty("members").EnumerateArray()
                .Select(m => $"{m.GetProperty("id").GetString()}:{m.GetProperty("state").GetString()}");
            var actual = string.Join(",", members);
            return actual == expected ? actual : null;
        }, timeout ?? TimeSpan.FromSeconds(HoldSeconds + 30), what);
    }

    private static async Task<List<string>> EventReasonsAsync(HttpClient client, string pool)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/pools/{pool}/events?pageSize=200", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await Api.ReadJsonAsync(response)).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("reason").GetString()!)];
    }
}
