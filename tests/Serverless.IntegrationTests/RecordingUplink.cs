using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Serverless.Testing;

namespace Serverless.IntegrationTests;

/// <summary>
/// Stands in for the control plane's uplink where a test must see every post an agent makes (the real endpoint
/// acknowledges repeats without a trace): records each body and answers 200 like the real one.
/// </summary>
public sealed class RecordingUplink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile TaskCompletionSource _resultsGate = CompletedGate();

    private RecordingUplink(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<(string Path, string? Authorization, string Body)> Posts { get; } = new();

    public static async Task<RecordingUplink> StartAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var uplink = new RecordingUplink(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/api/v1/agent/{kind}", async (HttpRequest request, string kind) =>
        {
            using var reader = new StreamReader(request.Body);
            if (kind == "results")
            {
                await uplink._resultsGate.Task;
            }

            uplink.Posts.Enqueue((kind, request.Headers.Authorization.ToString(), await reader.ReadToEndAsync()));
            return Results.Ok(new { id = kind, duplicate = false });
        });
        await app.StartAsync();
        return uplink;
    }

    /// <summary>Result posts wait, unanswered, until <see cref="ReleaseResults"/>: a control plane that is slow to take them.</summary>
    public void HoldResults() => _resultsGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseResults() => _resultsGate.TrySetResult();

    public IReadOnlyList<string> Bodies(string kind) => Posts.Where(p => p.Path == kind).Select(p => p.Body).ToList();

    public async ValueTask DisposeAsync()
    {
        ReleaseResults();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }
}
