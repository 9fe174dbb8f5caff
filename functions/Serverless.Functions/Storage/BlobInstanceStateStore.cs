using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Serverless.Contracts.Migrations;
using Serverless.ControlPlane.Migrations;

namespace Serverless.Functions.Storage;

/// <summary>
/// A migration's blobs in the <c>instance-state</c> container, named <c>{tenant}/{migration}/{state|disk}</c>. A grant is
/// a SAS for exactly one blob: signed with the account key where the app holds one (the local emulator), else with a
/// user delegation key from the app's managed identity (Azure; the identity's Storage Blob Data role allows it), kept
/// and reused until an hour before it ends.
/// </summary>
public sealed class BlobInstanceStateStore(BlobServiceClient service, TimeProvider clock) : IInstanceStateBlobs
{
    public const string ContainerName = "instance-state";
    private static readonly TimeSpan DelegationKeyLifetime = TimeSpan.FromDays(1);
    private static readonly TimeSpan DelegationKeyMargin = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _gate = new(1);
    private Task? _created;
    private UserDelegationKey? _delegationKey;

    public async Task<BlobAccessGrant> GrantAsync(
        string tenantId, string migrationId, TransferArtifact artifact, BlobAccess access, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        var blob = container.GetBlobClient(BlobName(tenantId, migrationId, artifact));
        var sas = new BlobSasBuilder
        {
            BlobContainerName = container.Name,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = clock.GetUtcNow().AddMinutes(-5),
            ExpiresOn = expiresAt,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        sas.SetPermissions(access == BlobAccess.Write ? BlobSasPermissions.Read | BlobSasPermissions.Create | BlobSasPermissions.Write : BlobSasPermissions.Read);
        if (blob.CanGenerateSasUri)
        {
            return new BlobAccessGrant(blob.GenerateSasUri(sas).ToString(), expiresAt);
        }

        var key = await DelegationKeyAsync(expiresAt, cancellationToken);
        var uri = new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, service.AccountName) };
        return new BlobAccessGrant(uri.ToUri().ToString(), expiresAt);
    }

    public async Task<int> DeleteAsync(string tenantId, string migrationId, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        var deleted = 0;
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{tenantId}/{migrationId}/", States = BlobStates.Uncommitted }, cancellationToken))
        {
            var blob = container.GetBlockBlobClient(item.Name);
            if (!await blob.ExistsAsync(cancellationToken))
            {
                // Staged blocks only, never committed: committing none makes a blob that deleting removes with its blocks.
                await blob.CommitBlockListAsync([], cancellationToken: cancellationToken);
            }

            if (await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken))
            {
                deleted++;
            }
        }

        return deleted;
    }

    public static string BlobName(string tenantId, string migrationId, TransferArtifact artifact) =>
        $"{tenantId}/{migrationId}/{(artifact == TransferArtifact.State ? "state" : "disk")}";

    private async Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken)
    {
        var container = service.GetBlobContainerClient(ContainerName);
        var created = _created ??= container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
        try
        {
            await created.WaitAsync(cancellationToken);
        }
        catch (RequestFailedException)
        {
            _created = null;
            throw;
        }

        return container;
    }

    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_delegationKey is not { } key || key.SignedExpiresOn - DelegationKeyMargin < until)
            {
                var now = clock.GetUtcNow();
                var lifetime = until - now + DelegationKeyMargin > DelegationKeyLifetime ? until - now + DelegationKeyMargin : DelegationKeyLifetime;
                _delegationKey = key = (await service.GetUserDelegationKeyAsync(now.AddMinutes(-5), now + lifetime, cancellationToken)).Value;
            }

            return key;
        }
        finally
        {
            _gate.Release();
        }
    }
}
