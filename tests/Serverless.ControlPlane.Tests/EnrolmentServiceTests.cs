using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Serverless.ControlPlane.Agents;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Tests;

/// <summary>Enrolment codes (<see cref="EnrolmentService"/>): expiry on a manual clock, the usage limit, one use per agent, codes that cannot be probed.</summary>
public sealed class EnrolmentServiceTests
{
    private const string Tenant = "contoso";
    private static readonly DateTimeOffset At = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(At);
    private readonly InMemoryEnrolmentStore _store = new();
    private readonly EnrolmentService _service;

    public EnrolmentServiceTests()
    {
        var zones = new InMemoryZoneStore();
        zones.TryAddAsync(new Zone(Tenant, "dc-1", ZoneKind.Client, null, At), CancellationToken.None).GetAwaiter().GetResult();
        _service = new EnrolmentService(_store, zones, new AgentCredentialService(new InMemoryCredentialStore(), _clock), Options.Create(new CommandChannelOptions()), _clock);
    }

    [Fact]
    public async Task A_code_works_until_the_instant_it_expires_and_not_from_then_on()
    {
        var code = (await _service.CreateAsync(Tenant, new CreateEnrolmentRequest("dc-1", ExpiresInHours: 1, UsageLimit: 3, null), CancellationToken.None)).Value!.Code;

        _clock.Now = At.AddHours(1).AddTicks(-1);
        Assert.True((await EnrolAsync(code, "agent-1")).Succeeded);

        _clock.Now = At.AddHours(1);
        var expired = await EnrolAsync(code, "agent-2");
        Assert.Equal("The enrolment code has expired.", expired.Error!.Title);
    }

    [Fact]
    public async Task A_code_is_exchanged_once_per_agent_and_up_to_its_usage_limit()
    {
        var code = (await _service.CreateAsync(Tenant, new CreateEnrolmentRequest("dc-1", null, UsageLimit: 2, "two agents"), CancellationToken.None)).Value!.Code;

        var first = await EnrolAsync(code, "agent-1");
        Assert.Equal((Tenant, "dc-1", "commands-contoso"), (first.Value!.Credential.Credential.TenantId, first.Value.Credential.Credential.AgentGroup, first.Value.QueueName));
        Assert.Equal("The enrolment code was already used by this agent.", (await EnrolAsync(code, "agent-1")).Error!.Title);
        Assert.True((await EnrolAsync(code, "agent-2")).Succeeded);
        var usedUp = await EnrolAsync(code, "agent-3");
        Assert.Equal("The enrolment code is used up.", usedUp.Error!.Title);
        Assert.Contains("allowed 2 agents", usedUp.Error.Detail, StringComparison.Ordinal);
        Assert.Equal(["agent-1", "agent-2"], _store.Stored.Values.Single().EnrolledAgents);
    }

    [Fact]
    public async Task A_wrong_secret_and_an_unknown_code_get_the_same_answer_and_only_a_hash_is_stored()
    {
        var code = (await _service.CreateAsync(Tenant, new CreateEnrolmentRequest("dc-1", null, null, null), CancellationToken.None)).Value!.Code;
        var unknownId = $"{EnrolmentService.CodePrefix}{new string('0', 32)}.{code.Split('.')[2]}";

        var wrongSecret = await EnrolAsync(code[..^3] + "xyz", "agent-1");
        var unknown = await EnrolAsync(unknownId, "agent-1");

        Assert.Equal(wrongSecret.Error!.Fields, unknown.Error!.Fields);
        Assert.Equal("code", Assert.Single(wrongSecret.Error.Fields).Field);
        Assert.DoesNotContain(code.Split('.')[2], _store.Stored.Values.Single().SecretHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_code_names_every_bad_field_and_defaults_to_one_agent_for_a_day()
    {
        var bad = await _service.CreateAsync(Tenant, new CreateEnrolmentRequest("nowhere", 24, 0, null, At.AddMinutes(-1)), CancellationToken.None);
        Assert.Equal(["expiresAt", "expiresAt", "usageLimit", "zone"], bad.Error!.Fields.Select(f => f.Field).Order(StringComparer.Ordinal));

        var created = (await _service.CreateAsync(Tenant, new CreateEnrolmentRequest("dc-1", null, null, null), CancellationToken.None)).Value!;
        Assert.Equal((At.AddHours(EnrolmentService.DefaultExpiryHours), 1), (created.Enrolment.ExpiresAt, created.Enrolment.UsageLimit));
    }

    private Task<Results.Outcome<EnrolledAgent>> EnrolAsync(string code, string agentId) =>
        _service.EnrolAsync(new EnrolAgentRequest(code, agentId), CancellationToken.None);

    /// <summary>Enrolments in memory with a version counter, as the table store's ETag.</summary>
    private sealed class InMemoryEnrolmentStore : IEnrolmentStore
    {
        private int _version;

        public ConcurrentDictionary<string, Enrolment> Stored { get; } = new();

        public Task<Enrolment?> GetAsync(string enrolmentId, CancellationToken cancellationToken) => Task.FromResult(Stored.GetValueOrDefault(enrolmentId));

        public Task AddAsync(Enrolment enrolment, CancellationToken cancellationToken)
        {
            Stored[enrolment.EnrolmentId] = enrolment with { Version = $"{Interlocked.Increment(ref _version)}" };
            return Task.CompletedTask;
        }

        public Task<bool> TryReplaceAsync(Enrolment updated, CancellationToken cancellationToken) =>
            Task.FromResult(Stored.TryGetValue(updated.EnrolmentId, out var current) && current.Version == updated.Version
                && Stored.TryUpdate(updated.EnrolmentId, updated with { Version = $"{Interlocked.Increment(ref _version)}" }, current));
    }
}
