using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Migrations;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Uplink;

namespace Serverless.RelayAgent.Tests;

/// <summary>
/// A blob access grant outlives a control plane restart: an unreachable or failing control plane is asked again, a
/// refusal is final at once.
/// </summary>
public sealed class BlobAccessRequestTests
{
    private static readonly BlobAccessRequest Request = new(SchemaVersions.Current, "m-1", TransferArtifact.State, BlobAccess.Read);

    [Fact]
    public async Task UnreachableThenFailing_IsAskedAgain_UntilTheGrantComes()
    {
        var control = new ControlPlane(
            () => throw new HttpRequestException("Connection refused"),
            () => throw new HttpRequestException("Connection refused"),
            () => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable),
            () => Json(HttpStatusCode.OK, """{"url":"https://blob.example/m-1/state?sig=secret","expiresAt":"2026-12-03T12:00:00+00:00"}"""));

        var grant = await Uplink(control).RequestBlobAccessAsync(Request, CancellationToken.None);

        Assert.Equal(("https://blob.example/m-1/state?sig=secret", 4), (grant.Url, control.Requests));
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, CommandErrorKind.Unauthorized)]
    [InlineData(HttpStatusCode.Conflict, CommandErrorKind.DeviceError)]
    public async Task ARefusal_FailsTheCommandAtOnce_SayingWhy(HttpStatusCode refusal, CommandErrorKind kind)
    {
        var control = new ControlPlane(() => Json(refusal, """{"title":"the migration is past its upload"}"""));

        var failure = await Assert.ThrowsAsync<CommandFailure>(() => Uplink(control).RequestBlobAccessAsync(Request, CancellationToken.None));

        Assert.Equal((kind, 1), (failure.Kind, control.Requests));
        Assert.Contains("granted no read access to the state blob of migration m-1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("the migration is past its upload", failure.Message, StringComparison.Ordinal);
    }

    private static UplinkClient Uplink(ControlPlane control) =>
        new(new HttpClient(control) { BaseAddress = new Uri("https://cp.example/") }, new AgentStatus(TimeProvider.System),
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), NullLogger<UplinkClient>.Instance);

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>Answers the agent's requests in turn with the given answers.</summary>
    private sealed class ControlPlane(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("/api/v1/agent/blob-access", request.RequestUri!.AbsolutePath);
            return Task.FromResult(answers[Requests++]());
        }
    }
}
