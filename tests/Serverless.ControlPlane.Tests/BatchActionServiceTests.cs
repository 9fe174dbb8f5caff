using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Results;

namespace Serverless.ControlPlane.Tests;

/// <summary>How a batch request resolves: its targets (names or a selector) and its limits (numbers or percentages).</summary>
public sealed class BatchActionServiceTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryInstanceStores _managed = new();
    private readonly BatchActionService _service;

    public BatchActionServiceTests()
    {
        _service = new BatchActionService(_managed, InstanceServiceTests.Create(_managed, new InMemoryResourceStores(), At));
        for (var i = 0; i < 30; i++)
        {
            _managed.TryAddAsync(Instance($"web-{i:00}", i % 2 == 0 ? "dc-1" : "cloud-1", i == 29 ? LifecycleState.Terminated : LifecycleState.Running), CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    [Theory]
    [InlineData("10%", "5%", 3, 1)]
    [InlineData("10", "2", 10, 2)]
    [InlineData("1%", "0%", 1, 0)]
    [InlineData("100%", "100%", 29, 29)]
    public async Task Prepare_LimitsAsNumbersOrShares_ConcurrencyRoundsUpAndErrorsDown(string concurrency, string errors, int expectedConcurrency, int expectedErrors)
    {
        var plan = await _service.PrepareAsync("contoso", new BatchActionRequest(InstanceAction.Restart, new BatchTargets(null, null, "tier=web"), concurrency, errors, null), CancellationToken.None);

        Assert.Equal((29, expectedConcurrency, expectedErrors), (plan.Value!.Targets.Count, plan.Value.MaxConcurrency, plan.Value.MaxErrors));
    }

    [Fact]
    public async Task Prepare_ZoneSelector_TakesItsInstancesInNameOrder_WithoutTerminatedOnes()
    {
        var plan = await _service.PrepareAsync("contoso", new BatchActionRequest(InstanceAction.Stop, new BatchTargets(null, "cloud-1", null), null, null, 2), CancellationToken.None);

        Assert.Equal(14, plan.Value!.Targets.Count);
        Assert.Equal(plan.Value.Targets.Select(t => t.Name).Order(StringComparer.Ordinal), plan.Value.Targets.Select(t => t.Name));
        Assert.Equal((10, 0, 2), (plan.Value.MaxConcurrency, plan.Value.MaxErrors, plan.Value.PerZoneConcurrency!.Value));
    }

    [Fact]
    public async Task Prepare_BadFields_NamesEveryOne()
    {
        var plan = await _service.PrepareAsync(
            "contoso", new BatchActionRequest(null, new BatchTargets(["web-01", "nope"], null, null), "ten", "101%", 0), CancellationToken.None);

        Assert.Equal(ErrorKind.Validation, plan.Error!.Kind);
        Assert.Equal(["action", "maxConcurrency", "maxErrors", "perZoneConcurrency", "targets.names[1]"], plan.Error.Fields.Select(f => f.Field).Order(StringComparer.Ordinal));
    }

    private static ManagedInstance Instance(string name, string zone, LifecycleState state) => new()
    {
        TenantId = "contoso",
        Name = name,
        Zones = [zone],
        Zone = zone,
        VirtualCpus = 1,
        MemoryMiB = 512,
        Image = "ubuntu",
        Tags = new Dictionary<string, string> { ["tier"] = "web" },
        State = state,
        OperationId = "op-1",
        CreatedAt = At,
        UpdatedAt = At,
    };
}
