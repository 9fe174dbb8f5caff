using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.ControlPlane.Health;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Health;

/// <summary><c>GET /api/v1/health</c>: the version, and whether table storage and the durable backend answer (503 if not).</summary>
public sealed class HealthFunction(HealthService health)
{
    [Function(FunctionNames.GetHealth)]
    [ApiOperation("Health of the app and its dependencies; 503 when one is down.", Response = typeof(HealthResponse), Caller = ApiCaller.Anyone)]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/health")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync([new DurableBackendHealthProbe(durableClient)], cancellationToken);
        return TypedResults.Json(
            HealthResponse.From(report),
            statusCode: report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
