namespace Serverless.IntegrationTests;

/// <summary>
/// The crash matrices kill and restart their host dozens of times and mostly wait on restarts, so they get a command
/// channel of their own and run beside the other command channel tests instead of after them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CrashCollection : ICollectionFixture<CrashFixture>
{
    public const string Name = "crashes";
}

/// <summary>A second, separate command channel (own Azurite, Service Bus emulator and host) for <see cref="CrashCollection"/>.</summary>
public sealed class CrashFixture : CommandChannelFixture
{
    private static readonly TimeSpan KillDeadline = TimeSpan.FromSeconds(120);

    /// <summary>Agents heard every second, so the host's own downtime in each crash (two restarts) never reads as a silent zone.</summary>
    protected override IReadOnlyDictionary<string, string> ExtraAgentEnvironment() => new Dictionary<string, string> { ["RelayAgent__HeartbeatIntervalSeconds"] = "1" };

    /// <summary>
    /// Restarts the host told to kill itself at <paramref name="killPoint"/>, with <paramref name="settings"/> besides.
    /// The activity the doomed host dies in comes back 2 s after, not after the fixture's 10 s.
    /// </summary>
    internal async Task StartDoomedHostAsync(KillPoint killPoint, IReadOnlyDictionary<string, string>? settings = null)
    {
        await Host.KillAsync();
        await Host.StartAgainAsync(new Dictionary<string, string>((settings ?? new Dictionary<string, string>()).Concat(killPoint.Environment))
        {
            ["LocalHost__ActivityVisibilityTimeout"] = "00:00:02",
        });
    }

    /// <summary>Waits for the doomed host to die at <paramref name="killPoint"/>, then starts it again without the fault.</summary>
    internal async Task RestartAfterKillAsync(KillPoint killPoint)
    {
        Assert.True(await Host.WaitForExitAsync(KillDeadline), $"the host did not kill itself at {killPoint}; its last lines:\n{Host.OutputTail()}");
        await Host.StartAgainAsync();
    }
}
