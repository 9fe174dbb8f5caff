using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serverless.RelayAgent.Checks;

namespace Serverless.RelayAgent.Tests;

/// <summary>
/// <c>relay-agent check</c>'s clock line: this host's time against the Date of the control plane's answer. The answer
/// comes from a handler, since a test cannot move the machine's clock or the control plane's.
/// </summary>
public sealed class ClockCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 5, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, CheckStatus.Ok, "within 5 s of the control plane's (0 s).")]
    [InlineData(-4, CheckStatus.Ok, "within 5 s of the control plane's (+4.0 s).")]
    [InlineData(-60, CheckStatus.Failed, "this host's clock is 60 s ahead of the control plane's")]
    [InlineData(95, CheckStatus.Failed, "this host's clock is 95 s behind the control plane's")]
    public async Task CompareClock_AgainstTheControlPlanesDate_PassesWithinFiveSeconds(int serverOffsetSeconds, CheckStatus expected, string detail)
    {
        using var http = new HttpClient(new DatedAnswers(Now.AddSeconds(serverOffsetSeconds))) { BaseAddress = new Uri("https://cp.example/") };

        var (reachable, outcome) = await ControlPlaneCheck.ReachAsync(http, new FakeTimeProvider(Now), CancellationToken.None);
        Assert.Equal(CheckStatus.Ok, reachable.Status);

        Assert.Equal(expected, outcome.Status);
        Assert.StartsWith(detail, outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(expected == CheckStatus.Failed, outcome.Fix?.Contains("timedatectl set-ntp true", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task CompareClock_AnswerWithoutADate_IsSkipped()
    {
        using var http = new HttpClient(new DatedAnswers(null)) { BaseAddress = new Uri("https://cp.example/") };

        var (reachable, outcome) = await ControlPlaneCheck.ReachAsync(http, new FakeTimeProvider(Now), CancellationToken.None);
        Assert.Equal(CheckStatus.Ok, reachable.Status);

        Assert.Equal(CheckStatus.Skipped, outcome.Status);
    }

    private sealed class DatedAnswers(DateTimeOffset? date) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"status":"healthy"}""") };
            response.Headers.Date = date;
            return Task.FromResult(response);
        }
    }
}
