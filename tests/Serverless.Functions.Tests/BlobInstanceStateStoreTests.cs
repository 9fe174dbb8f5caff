using System.Net;
using Azure.Storage.Blobs;
using Serverless.Contracts.Migrations;
using Serverless.Functions.Storage;

namespace Serverless.Functions.Tests;

/// <summary>
/// The SAS grants agents get for a migration's blobs, against a real Azurite: each works for its one blob and the
/// rights it names, and for no other blob and not after it expires; deleting a migration's blobs removes staged blocks too.
/// </summary>
public sealed class BlobInstanceStateStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly BlobInstanceStateStore _store = new(new BlobServiceClient(azurite.ConnectionString), TimeProvider.System);
    private readonly HttpClient _http = new();
    private readonly string _tenant = "t" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Grant_ForOneBlob_WritesThatBlob_AndIsRefusedOnAnotherBlob()
    {
        var grant = await _store.GrantAsync(_tenant, "m1", TransferArtifact.State, BlobAccess.Write, DateTimeOffset.UtcNow.AddMinutes(10), CancellationToken.None);

        Assert.Equal(HttpStatusCode.Created, await PutBlobAsync(grant.Url));
        var other = new Uri(grant.Url).GetLeftPart(UriPartial.Path).Replace("/m1/state", "/m1/disk", StringComparison.Ordinal) + new Uri(grant.Url).Query;
        Assert.Equal(HttpStatusCode.Forbidden, await PutBlobAsync(other));
        var otherMigration = grant.Url.Replace("/m1/state", "/m2/state", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, await PutBlobAsync(otherMigration));
    }

    [Fact]
    public async Task ReadGrant_ReadsTheBlob_ButCannotWriteIt()
    {
        var write = await _store.GrantAsync(_tenant, "m1", TransferArtifact.Disk, BlobAccess.Write, DateTimeOffset.UtcNow.AddMinutes(10), CancellationToken.None);
        Assert.Equal(HttpStatusCode.Created, await PutBlobAsync(write.Url));
        var read = await _store.GrantAsync(_tenant, "m1", TransferArtifact.Disk, BlobAccess.Read, DateTimeOffset.UtcNow.AddMinutes(10), CancellationToken.None);

        using (var got = await _http.GetAsync(new Uri(read.Url)))
        {
            Assert.Equal(HttpStatusCode.OK, got.StatusCode);
            Assert.Equal("state", await got.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.Forbidden, await PutBlobAsync(read.Url));
    }

    [Fact]
    public async Task Grant_AfterItExpires_IsRefused()
    {
        var grant = await _store.GrantAsync(_tenant, "m3", TransferArtifact.State, BlobAccess.Write, DateTimeOffset.UtcNow.AddSeconds(2), CancellationToken.None);
        Assert.Equal(HttpStatusCode.Created, await PutBlobAsync(grant.Url));

        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(HttpStatusCode.Forbidden, await PutBlobAsync(grant.Url));
    }

    [Fact]
    public async Task Delete_RemovesTheMigrationsBlobs_IncludingOnlyStagedBlocks_AndNoOtherMigrations()
    {
        var committed = await _store.GrantAsync(_tenant, "m4", TransferArtifact.State, BlobAccess.Write, DateTimeOffset.UtcNow.AddMinutes(10), CancellationToken.None);
        Assert.Equal(HttpStatusCode.Created, await PutBlobAsync(committed.Url));
        var staged = await _store.GrantAsync(_tenant, "m4", TransferArtifact.Disk, BlobAccess.Write, DateTimeOffset.UtcNow.AddMinutes(10), CancellationToken.None);
        using (var block = await _http.PutAsync(new Uri(staged.Url + "&comp=block&blockid=" + Uri.EscapeDataString(Convert.ToBase64String("b0"u8.ToArray()))), new ByteArrayContent([1, 2, 3])))
        {
            Assert.Equal(HttpStatusCode.Created, block.StatusCode);
        }

        var kept = await _store.GrantAsync(_tenant, "m5", TransferArtifact.State, BlobAccess.Write, DateTimeOffset.UtcNow.AddMinutes(10), CancellationToken.None);
        Assert.Equal(HttpStatusCode.Created, await PutBlobAsync(kept.Url));

        Assert.Equal(2, await _store.DeleteAsync(_tenant, "m4", CancellationToken.None));

        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(BlobInstanceStateStore.ContainerName);
        var left = new List<string>();
        await foreach (var item in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = $"{_tenant}/", States = Azure.Storage.Blobs.Models.BlobStates.Uncommitted }))
        {
            left.Add(item.Name);
        }

        Assert.Equal([$"{_tenant}/m5/state"], left);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpStatusCode> PutBlobAsync(string url)
    {
        using var content = new StringContent("state");
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        request.Headers.Add("x-ms-version", "2021-12-02");
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }
}
