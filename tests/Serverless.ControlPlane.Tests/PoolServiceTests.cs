using System.Text.Json;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Results;

namespace Serverless.ControlPlane.Tests;

/// <summary>Pool definitions: every bad field named, members only on the tenant's registered resources, If-Match honoured.</summary>
public sealed class PoolServiceTests
{
    private const string Tenant = "contoso";
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

    private readonly InMemoryResourceStores _resources = new();
    private readonly InMemoryPoolStore _pools = new();
    private readonly PoolService _service;

    public PoolServiceTests()
    {
        _service = new PoolService(_pools, _pools, _resources, new InMemoryMetricWindows(), new ManualClock(At));
        Register(Tenant, "lb-1", "dc-1", ResourceKind.SnmpAppliance, RegistrationState.Registered);
        Register(Tenant, "kvm-1", "azure-1", ResourceKind.VirtualizationHost, RegistrationState.Registered);
        Register(Tenant, "kvm-old", "dc-1", ResourceKind.VirtualizationHost, RegistrationState.Rejected);
        Register("fabrikam", "lb-9", "dc-9", ResourceKind.SnmpAppliance, RegistrationState.Registered);
    }

    [Fact]
    public async Task Create_HybridPool_RecordsEachMembersZoneAndThePolicyWithDefaults()
    {
        var outcome = await _service.CreateAsync(Tenant, Request(), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        Assert.Equal(["lb-a@dc-1", "lb-b@dc-1", "vm-a@azure-1"], outcome.Value.Members.Select(m => $"{m.MemberId}@{m.Zone}"));
        Assert.Equal((1, 3, 1, 60, 10, MemberPreference.ClientFirst), (outcome.Value.Policy.MinActive, outcome.Value.Policy.MaxActive, outcome.Value.Policy.Step,
            outcome.Value.Policy.CooldownSeconds, outcome.Value.Policy.MetricsIntervalSeconds, outcome.Value.Policy.Preference));
        Assert.NotNull(outcome.Value.ETag);
        Assert.Equal(ErrorKind.Conflict, (await _service.CreateAsync(Tenant, Request(), CancellationToken.None)).Error!.Kind);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { """{"name":"Web Pool"}""", "name", "lowercase letters" },
        { """{"serviceKind":null}""", "serviceKind", "is required; one of: loadBalancer, cache, compute, generic" },
        { """{"members":[]}""", "members", "must list 1 to 500 members" },
        { """{"members":[{"id":"a","resource":"lb-1","index":"1"},{"id":"a","resource":"lb-1","index":"2"}]}""", "members[1].id", "listed twice" },
        { """{"members":[{"id":"a","resource":"lb-1"}]}""", "members[0]", "give exactly one of index" },
        { """{"members":[{"id":"a","resource":"lb-1","index":"1..2"}]}""", "members[0].index", "index arcs" },
        { """{"members":[{"id":"a","resource":"nope","index":"1"}]}""", "members[0].resource", "there is no resource named 'nope'" },
        { """{"members":[{"id":"a","resource":"lb-9","index":"1"}]}""", "members[0].resource", "there is no resource named 'lb-9'" },
        { """{"members":[{"id":"a","resource":"kvm-old","instance":"x"}]}""", "members[0].resource", "'kvm-old' is rejected; only registered resources" },
        { """{"members":[{"id":"a","resource":"kvm-1","index":"1"}]}""", "members[0].resource", "is a virtualization host; name an instance" },
        { """{"members":[{"id":"a","resource":"lb-1","index":"1"},{"id":"b","resource":"lb-1","index":"1"}]}""", "members[1]", "already is index 1 on 'lb-1'" },
        { """{"policy":null}""", "policy", "is required" },
        { """{"policy":{"metric":"has space","activateAbove":80,"activateAfterSeconds":60,"deactivateBelow":20,"deactivateAfterSeconds":60}}""", "policy.metric", "without spaces" },
        { """{"policy":{"metric":"m","activateAbove":80,"activateAfterSeconds":60,"deactivateBelow":80,"deactivateAfterSeconds":60}}""", "policy.deactivateBelow", "would overlap" },
        { """{"policy":{"metric":"m","activateAbove":80,"activateAfterSeconds":5,"deactivateBelow":20,"deactivateAfterSeconds":60}}""", "policy.activateAfterSeconds", "at least one metrics interval (10)" },
        { """{"policy":{"metric":"m","activateAbove":80,"deactivateBelow":20,"deactivateAfterSeconds":60}}""", "policy.activateAfterSeconds", "is required" },
        { """{"policy":{"metric":"m","activateAbove":80,"activateAfterSeconds":60,"deactivateBelow":20,"deactivateAfterSeconds":60,"minActive":3,"maxActive":2}}""", "policy.maxActive", "at least minActive (3)" },
        { """{"policy":{"metric":"m","activateAbove":80,"activateAfterSeconds":60,"deactivateBelow":20,"deactivateAfterSeconds":60,"maxActive":4}}""", "policy.maxActive", "can never be reached: the pool lists 3" },
        { """{"policy":{"metric":"m","activateAbove":80,"activateAfterSeconds":60,"deactivateBelow":20,"deactivateAfterSeconds":60,"minActive":0}}""", "policy.minActive", "must be 1 to 500" },
        { """{"policy":{"metric":"m","activateAbove":80,"activateAfterSeconds":60,"deactivateBelow":20,"deactivateAfterSeconds":60,"step":4}}""", "policy.step", "1 to maxActive" },
        { """{"policy":{"metric":"m","activateAbove":80,"activateAfterSeconds":60,"deactivateBelow":20,"deactivateAfterSeconds":60,"maxSize":2}}""", "members", "must list 1 to 2 members" },
        { """{"policy":{"metric":"m","activateAbove":80,"activateAfterSeconds":60,"deactivateBelow":20,"deactivateAfterSeconds":60,"cooldownSeconds":-1}}""", "policy.cooldownSeconds", "must be 0 to 86400" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Create_BadField_IsInvalidNamingIt(string patch, string field, string message)
    {
        var outcome = await _service.CreateAsync(Tenant, Patched(patch), CancellationToken.None);

        Assert.Equal(ErrorKind.Validation, outcome.Error?.Kind);
        Assert.Contains(outcome.Error!.Fields, f => f.Field == field && f.Message.Contains(message, StringComparison.Ordinal));
        Assert.Empty(await _pools.ListAllAsync(Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task Update_WithTheCurrentETag_Replaces_AndWithAStaleOne_Is412AndChangesNothing()
    {
        var created = (await _service.CreateAsync(Tenant, Request(), CancellationToken.None)).Value!;
        var change = new UpdatePoolRequest(ServiceKind.LoadBalancer, Request().Members, Request().Policy! with { CooldownSeconds = 300 });

        var updated = await _service.UpdateAsync(Tenant, "web", change, created.ETag, CancellationToken.None);
        var stale = await _service.UpdateAsync(Tenant, "web", change with { Policy = change.Policy! with { CooldownSeconds = 5 } }, created.ETag, CancellationToken.None);

        Assert.Equal(300, updated.Value!.Policy.CooldownSeconds);
        Assert.Equal(ErrorKind.PreconditionFailed, stale.Error!.Kind);
        Assert.Equal(300, (await _service.GetAsync(Tenant, "web", CancellationToken.None)).Value!.Policy.CooldownSeconds);
    }

    [Fact]
    public async Task OtherTenantsPool_IsNotFoundForEveryOperation()
    {
        await _service.CreateAsync(Tenant, Request(), CancellationToken.None);
        var change = new UpdatePoolRequest(ServiceKind.Cache, Request().Members, Request().Policy);

        Assert.Equal(ErrorKind.NotFound, (await _service.GetAsync("fabrikam", "web", CancellationToken.None)).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await _service.UpdateAsync("fabrikam", "web", change, null, CancellationToken.None)).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await _service.DeleteAsync("fabrikam", "web", null, CancellationToken.None)).Error!.Kind);
        Assert.Empty((await _service.ListAsync("fabrikam", null, null, CancellationToken.None)).Value!.Items);
        Assert.True((await _service.GetAsync(Tenant, "web", CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Delete_StaleETag_Is412_CurrentOne_Deletes()
    {
        var created = (await _service.CreateAsync(Tenant, Request(), CancellationToken.None)).Value!;

        Assert.Equal(ErrorKind.PreconditionFailed, (await _service.DeleteAsync(Tenant, "web", "W/\"0\"", CancellationToken.None)).Error!.Kind);
        Assert.True((await _service.DeleteAsync(Tenant, "web", created.ETag, CancellationToken.None)).Succeeded);
        Assert.Equal(ErrorKind.NotFound, (await _service.GetAsync(Tenant, "web", CancellationToken.None)).Error!.Kind);
    }

    private static CreatePoolRequest Request() => new(
        "web",
        ServiceKind.LoadBalancer,
        [new PoolMemberRequest("lb-a", "lb-1", Index: "1"), new PoolMemberRequest("lb-b", "lb-1", Index: "2"), new PoolMemberRequest("vm-a", "kvm-1", Instance: "web-1")],
        new PoolPolicyRequest("connections.active", 100, 60, 40, 120));

    /// <summary>The sample request with the fields of <paramref name="patch"/> replaced, as a client would send it.</summary>
    private static CreatePoolRequest Patched(string patch)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var request = JsonSerializer.SerializeToNode(Request(), options)!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(patch)!.AsObject())
        {
            request[key] = value?.DeepClone();
        }

        return request.Deserialize<CreatePoolRequest>(options)!;
    }

    private void Register(string tenant, string id, string zone, ResourceKind kind, RegistrationState state) =>
        _resources.UpsertAsync(
            new ResourceRegistration(tenant, id, zone, kind, "x", null, [], state, [], new Dictionary<string, string>(), "op", At, At),
            CancellationToken.None).GetAwaiter().GetResult();
}
