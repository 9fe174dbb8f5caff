using Microsoft.Extensions.Time.Testing;
using Serverless.ControlPlane.Health;

namespace Serverless.ControlPlane.Tests;

/// <summary>The health report (<see cref="HealthService"/>): every dependency asked at once, a hung one cut off at its deadline, failures said in one line.</summary>
public sealed class HealthServiceTests
{
    [Fact]
    public async Task A_hung_dependency_is_reported_at_its_deadline_while_the_others_answer_and_a_failure_says_its_first_line()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var hung = new Probe("durable", token => Task.Delay(Timeout.Infinite, token));
        var service = new HealthService([new Probe("tables", _ => Task.CompletedTask), hung], clock);

        var checking = service.CheckAsync([new Probe("queues", _ => throw new InvalidOperationException("queue gone\nstack detail"))], CancellationToken.None);
        await hung.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(checking.IsCompleted);
        clock.Advance(HealthService.ProbeTimeout);
        var report = await checking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(report.Healthy);
        var byName = report.Dependencies.ToDictionary(d => d.Name);
        Assert.Equal((true, (string?)null), (byName["tables"].Healthy, byName["tables"].Error));
        Assert.Equal((false, "did not answer within 5 s"), (byName["durable"].Healthy, byName["durable"].Error));
        Assert.Equal((false, "InvalidOperationException: queue gone"), (byName["queues"].Healthy, byName["queues"].Error));
        Assert.True((await new HealthService([new Probe("tables", _ => Task.CompletedTask)], clock).CheckAsync([], CancellationToken.None)).Healthy);
    }

    private sealed class Probe(string name, Func<CancellationToken, Task> check) : IHealthProbe
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => name;

        public Task CheckAsync(CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            return check(cancellationToken);
        }
    }
}
