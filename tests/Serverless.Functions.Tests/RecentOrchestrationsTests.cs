using Serverless.ControlPlane.Tests;
using Serverless.Functions.Agents;

namespace Serverless.Functions.Tests;

public sealed class RecentOrchestrationsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AWorkflowFound_IsRememberedForAMinute_OneNotFound_IsReadEveryTime()
    {
        var clock = new ManualClock(At);
        var recent = new RecentOrchestrations(clock);
        var reads = new Dictionary<string, int>();
        Task<bool> Read(string id, bool exists)
        {
            reads[id] = reads.GetValueOrDefault(id) + 1;
            return Task.FromResult(exists);
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.True(await recent.ExistsAsync("batch", () => Read("batch", exists: true)));
            Assert.False(await recent.ExistsAsync("purged", () => Read("purged", exists: false)));
        }

        clock.Now = At.AddSeconds(59);
        Assert.True(await recent.ExistsAsync("batch", () => Read("batch", exists: false)));
        clock.Now = At.AddSeconds(61);
        Assert.False(await recent.ExistsAsync("batch", () => Read("batch", exists: false)));

        Assert.Equal((2, 50), (reads["batch"], reads["purged"]));
    }

    [Fact]
    public async Task PastItsBound_TheMemoryStartsAgain()
    {
        var recent = new RecentOrchestrations(new ManualClock(At));
        for (var i = 0; i < RecentOrchestrations.MaxRemembered; i++)
        {
            await recent.ExistsAsync($"w{i}", () => Task.FromResult(true));
        }

        await recent.ExistsAsync("one-more", () => Task.FromResult(true));

        // The first ten thousand were forgotten to make room; the one after them is remembered.
        Assert.True(await recent.ExistsAsync("one-more", () => Task.FromResult(false)));
        Assert.False(await recent.ExistsAsync("w0", () => Task.FromResult(false)));
    }
}
