using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.ControlPlane.Migrations;
using Serverless.Functions.Http;
using Serverless.Functions.Instances;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.Migrations;

/// <summary><c>/api/v1/instances/{name}/migrations</c> and <c>/api/v1/migrations</c>: move a running instance to another host, and watch it.</summary>
public sealed class MigrationFunctions(MigrationService migrations, RequestTenant tenant)
{
    [Function(FunctionNames.MigrateInstance)]
    [ApiOperation("Migrate a running instance to a host of targetZone (placement chooses) or to targetHost: quiesce, save, move through Blob Storage, restore, verify, commit; any failure before commit brings it back at its source.",
        Request = typeof(MigrateInstanceRequest), Response = typeof(MigrationAcceptedResponse), Status = 202, Problems = [400, 404, 409])]
    public async Task<IResult> MigrateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/instances/{name}/migrations")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var (body, problem) = await JsonRequestReader.ReadAsync<MigrateInstanceRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var plan = await migrations.PrepareAsync(tenantId, name, body!, cancellationToken);
        if (!plan.Succeeded)
        {
            return ApiResults.Problem(plan.Error);
        }

        await InstanceWorkflows.ScheduleAsync(durableClient, FunctionNames.MigrationOrchestrator, tenantId, plan.Value.MigrationId, plan.Value, cancellationToken);
        var migrationUrl = $"/api/v1/migrations/{plan.Value.MigrationId}";
        return TypedResults.Accepted(migrationUrl, new MigrationAcceptedResponse(plan.Value.MigrationId, name, migrationUrl, $"/api/v1/operations/{plan.Value.MigrationId}"));
    }

    [Function(FunctionNames.ListMigrations)]
    [ApiOperation("List the tenant's migrations, newest first, optionally of one instance.", Response = typeof(MigrationListResponse),
        Query = ["instance:string:Only migrations of this instance."])]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/migrations")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var found = await migrations.ListAsync(tenantId, request.Query["instance"].FirstOrDefault(), cancellationToken);
        return TypedResults.Ok(new MigrationListResponse([.. found.Select(MigrationResponse.From)]));
    }

    [Function(FunctionNames.GetMigration)]
    [ApiOperation("Read a migration: its phase, status, bytes moved and the time each phase took.", Response = typeof(MigrationResponse), Problems = [404])]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/migrations/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if ((await tenant.ResolveAsync(request, cancellationToken)).IsDenied(out var tenantId, out var denied))
        {
            return denied;
        }

        var outcome = await migrations.GetAsync(tenantId, id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(MigrationResponse.From(outcome.Value)) : ApiResults.Problem(outcome.Error);
    }
}
