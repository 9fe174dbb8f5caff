using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// The command channel with OpenTelemetry on in the local host and every agent, all exporting to one OTLP receiver.
/// Extended sessions are off, so every episode of an orchestration replays its history: a span reported again on a
/// replay would show up twice.
/// </summary>
public sealed class TracingFixture : CommandChannelFixture
{
    public const string ControlPlaneService = "control-plane-under-test";

    public const string AgentService = "relay-agent-under-test";

    public OtlpReceiver Receiver { get; } = OtlpReceiver.Start();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    protected override IReadOnlyDictionary<string, string> ExtraHostSettings() =>
        new Dictionary<string, string>(Receiver.Environment(ControlPlaneService))
        {
            ["LocalHost__ExtendedSessionsEnabled"] = "false",
        };

    protected override IReadOnlyDictionary<string, string> ExtraAgentEnvironment() => Receiver.Environment(AgentService);
}

[CollectionDefinition(Name)]
public sealed class TracingCollection : ICollectionFixture<TracingFixture>
{
    public const string Name = "tracing";
}
