using Serverless.Snmp.Profiles;
using Serverless.Testing;

namespace Serverless.Snmp.Tests;

/// <summary>The simulated load balancer (snmpd + pass_persist handler) driven through its device profile.</summary>
public sealed class ApplianceTests : IAsyncLifetime
{
    private LoadBalancerAppliance _appliance = null!;
    private SnmpClient _client = null!;
    private DeviceProfile _profile = null!;

    private CommunityTarget Write => new(_appliance.Snmpd.EndPoint, SnmpdProcess.WriteCommunity);

    public async Task InitializeAsync()
    {
        _appliance = await LoadBalancerAppliance.StartAsync(members: 3);
        _client = new SnmpClient(new SnmpClientOptions(TimeSpan.FromSeconds(3), 1));
        _profile = DeviceProfile.ReadShipped().Single(p => p.Name == "simulated-load-balancer");
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _appliance.DisposeAsync();
    }

    [Fact]
    public async Task The_member_table_walks_in_order_and_deactivation_through_the_profile_is_recorded()
    {
        var walked = new List<VarBind>();
        await foreach (var binding in _client.WalkAsync(Write, Oid.Parse(LoadBalancerAppliance.BaseOid)))
        {
            walked.Add(binding);
        }

        Assert.Equal(9, walked.Count);
        Assert.Equal(Oid.Parse($"{LoadBalancerAppliance.BaseOid}.1.1"), walked[0].Oid);
        Assert.Equal(SnmpType.Gauge32, walked[3].Value.Type);

        var deactivate = _profile.Deactivate.Select(s => new VarBind(s.Oid.Resolve("2"), s.Value)).ToList();
        await _client.SetAsync(Write, deactivate);
        Assert.Equal(2, _appliance.Members().Single(m => m.Index == 2).AdminState);
        Assert.Equal(1, _appliance.Members().Single(m => m.Index == 1).AdminState);

        var health = await _client.GetAsync(Write, [_profile.Health[0].Oid.Resolve("2")]);
        Assert.DoesNotContain(health[0].Value.AsInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), _profile.Health[0].Healthy);
    }

    [Fact]
    public async Task Steered_load_is_what_the_profile_reads_and_bad_sets_are_refused_typed()
    {
        _appliance.SteerLoad(1, connections: 500, cpuPercent: 85);

        var load = await _client.GetAsync(Write, _profile.Load.Select(l => l.Oid.Resolve("1")).ToList());
        Assert.Equal([500u, 85u], load.Select(b => b.Value.AsUInt32()));

        var readOnly = await Assert.ThrowsAsync<SnmpErrorException>(() => _client.SetAsync(Write, [new VarBind(_profile.Load[0].Oid.Resolve("1"), SnmpValue.Gauge32(1))]));
        Assert.Equal(ErrorStatus.NotWritable, readOnly.Status);
        var wrongValue = await Assert.ThrowsAsync<SnmpErrorException>(() => _client.SetAsync(Write, [new VarBind(_profile.Activate[0].Oid.Resolve("1"), SnmpValue.Integer32(7))]));
        Assert.Equal(ErrorStatus.WrongValue, wrongValue.Status);
    }
}
