using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace Serverless.Functions.Storage;

/// <summary>
/// Builds storage clients from the <c>AzureWebJobsStorage</c> setting the way the Functions host reads it: a connection
/// string locally, or <c>__accountName</c> / <c>__tableServiceUri</c> / <c>__blobServiceUri</c> (+ <c>__clientId</c>) with a
/// managed identity in Azure.
/// </summary>
public static class StorageConnection
{
    public static TableServiceClient CreateTableServiceClient(IConfiguration configuration)
    {
        var connectionString = configuration[AppSettingNames.Storage];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new TableServiceClient(connectionString);
        }

        var section = configuration.GetSection(AppSettingNames.Storage);
        var tableUri = section["tableServiceUri"]
            ?? (section["accountName"] is { Length: > 0 } account ? $"https://{account}.table.core.windows.net" : null)
            ?? throw new InvalidOperationException(
                $"Set '{AppSettingNames.Storage}' to a connection string, or '{AppSettingNames.Storage}__accountName' for a managed identity.");
        return new TableServiceClient(new Uri(tableUri), CreateCredential(section));
    }

    /// <summary>Blob storage from the same setting: the connection string, or <c>__blobServiceUri</c> / <c>__accountName</c> with a managed identity.</summary>
    public static BlobServiceClient CreateBlobServiceClient(IConfiguration configuration)
    {
        var connectionString = configuration[AppSettingNames.Storage];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new BlobServiceClient(connectionString);
        }

        var section = configuration.GetSection(AppSettingNames.Storage);
        var blobUri = section["blobServiceUri"]
            ?? (section["accountName"] is { Length: > 0 } account ? $"https://{account}.blob.core.windows.net" : null)
            ?? throw new InvalidOperationException(
                $"Set '{AppSettingNames.Storage}' to a connection string, or '{AppSettingNames.Storage}__accountName' for a managed identity.");
        return new BlobServiceClient(new Uri(blobUri), CreateCredential(section));
    }

    private static TokenCredential CreateCredential(IConfigurationSection section) =>
        section["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
}
