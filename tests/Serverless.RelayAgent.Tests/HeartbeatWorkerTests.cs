using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Contracts;
using Serverless.Contracts.Agents;
using Serverless.RelayAgent.Channel;
using Serverless.RelayAgent.Uplink;

namespace Serverless.RelayAgent.Tests;

/// <summary>
/// The heartbeat worker reports a role change at once. The native agent takes its session while its first heartbeat is
/// still on its way; that change must not wait for the next interval (an hour here).
/// </summary>
public sealed class HeartbeatWorkerTests
{
    [Fact]
    public async Task ARoleChangeWhileAHeartbeatIsPosted_IsReportedAtOnce()
    {
        var status = new AgentStatus(TimeProvider.System);
        var control = new ControlPlane(onFirst: () => status.Role = AgentRole.Active);
        using var http = new HttpClient(control) { BaseAddress = new Uri("https://cp.example/") };
        var uplink = new UplinkClient(http, status, new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), NullLogger<UplinkClient>.Instance);
        var options = Options.Create(new RelayAgentOptions { AgentId = "kvm-1", AgentGroup = "dc-1", HeartbeatIntervalSeconds = 3600 });
        using var worker = new HeartbeatWorker(uplink, status, options, TimeProvider.System);

        await worker.StartAsync(CancellationToken.None);
        var second = await control.Second.WaitAsync(TimeSpan.FromSeconds(20));
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(AgentRole.Standby, (await control.First).Role);
        Assert.Equal(AgentRole.Active, second.Role);
    }

    /// <summary>Answers heartbeats; the first one's answer is delayed by a role change, as when the session is taken meanwhile.</summary>
    private sealed class ControlPlane(Action onFirst) : HttpMessageHandler
    {
        private readonly TaskCompletionSource<AgentHeartbeat> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<AgentHeartbeat> _second = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<AgentHeartbeat> First => _first.Task;

        public Task<AgentHeartbeat> Second => _second.Task;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var heartbeat = JsonSerializer.Deserialize(await request.Content!.ReadAsStringAsync(cancellationToken), ContractsJsonContext.Default.AgentHeartbeat)!;
            if (_first.TrySetResult(heartbeat))
            {
                onFirst();
            }
            else
            {
                _second.TrySetResult(heartbeat);
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
