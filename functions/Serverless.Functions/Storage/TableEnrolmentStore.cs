using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.ControlPlane.Agents;

namespace Serverless.Functions.Storage;

/// <summary>
/// Enrolments in the <c>Enrolments</c> table: PartitionKey = enrolment id (an agent presents the code without knowing
/// its tenant), RowKey = "enrolment". Uses are claimed with the row's ETag so no code is used beyond its limit.
/// </summary>
public sealed class TableEnrolmentStore(TableProvider tables) : IEnrolmentStore
{
    private const string Row = "enrolment";

    public async Task<Enrolment?> GetAsync(string enrolmentId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Enrolments, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(enrolmentId, Row, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var e = response.Value!;
        return new Enrolment(
            e.PartitionKey,
            e.GetString("TenantId"),
            e.GetString("Zone"),
            e.GetString("SecretHash"),
            e.GetString("Description"),
            e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            e.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue,
            e.GetInt32("UsageLimit") ?? 0,
            JsonSerializer.Deserialize(e.GetString("EnrolledAgents") ?? "[]", StorageJsonContext.Default.IReadOnlyListString) ?? [],
            e.ETag.ToString());
    }

    public async Task AddAsync(Enrolment enrolment, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Enrolments, cancellationToken);
        await table.AddEntityAsync(ToEntity(enrolment), cancellationToken);
    }

    public async Task<bool> TryReplaceAsync(Enrolment updated, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableProvider.Enrolments, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(ToEntity(updated), new ETag(updated.Version ?? throw new ArgumentException("The enrolment has no version.", nameof(updated))),
                TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 412)
        {
            return false;
        }
    }

    private static TableEntity ToEntity(Enrolment enrolment) => new(enrolment.EnrolmentId, Row)
    {
        ["TenantId"] = enrolment.TenantId,
        ["Zone"] = enrolment.Zone,
        ["SecretHash"] = enrolment.SecretHash,
        ["Description"] = enrolment.Description,
        ["CreatedAt"] = enrolment.CreatedAt,
        ["ExpiresAt"] = enrolment.ExpiresAt,
        ["UsageLimit"] = enrolment.UsageLimit,
        ["EnrolledAgents"] = JsonSerializer.Serialize(enrolment.EnrolledAgents, StorageJsonContext.Default.IReadOnlyListString),
    };
}
