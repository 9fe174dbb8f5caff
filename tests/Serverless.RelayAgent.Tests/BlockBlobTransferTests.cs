using System.Net;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Serverless.Contracts.Migrations;
using Serverless.RelayAgent.Handlers;
using Serverless.RelayAgent.Migration;
using Serverless.Testing;

namespace Serverless.RelayAgent.Tests;

/// <summary>
/// The agent's block-blob transfer against a real Azurite, through SAS URLs for one blob as the control plane grants
/// them: round trip with its SHA-256, an interrupted upload resumed from the blocks the blob holds, a changed blob
/// refused on download.
/// </summary>
public sealed class BlockBlobTransferTests(BlockBlobTransferTests.Azurite azurite) : IClassFixture<BlockBlobTransferTests.Azurite>, IDisposable
{
    private const int BlockSize = 64 * 1024;
    private readonly string _folder = RepositoryPaths.NewScratchFolder("blob-transfer");
    private readonly BlobContainerClient _container = azurite.Container;

    [Fact]
    public async Task Upload_ThenDownload_RoundTripsTheFile_WithItsSha256InTheMetadata()
    {
        var source = WriteRandomFile("state.save", 5 * BlockSize + 123);
        var blob = _container.GetBlobClient($"round-trip/{Guid.NewGuid():N}");
        using var http = new HttpClient();
        var transfer = new BlockBlobTransfer(http, TimeProvider.System);

        var uploaded = await transfer.UploadAsync(TransferArtifact.State, source, new TransferTuning(BlockSize, 3), Grant(blob), CancellationToken.None);

        Assert.Equal((6, 6, 0), (uploaded.Blocks, uploaded.BlocksSent, uploaded.BlocksKept));
        Assert.Equal(Sha256Of(source), uploaded.Sha256);
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal(new FileInfo(source).Length, properties.ContentLength);
        Assert.Equal(uploaded.Sha256, properties.Metadata[BlockBlobTransfer.Sha256Metadata]);

        var target = Path.Combine(_folder, "restored");
        var bytes = await transfer.DownloadAsync(target, new BlobDigest(uploaded.Bytes, uploaded.Sha256), new TransferTuning(BlockSize, 4), Grant(blob), CancellationToken.None);
        Assert.Equal(uploaded.Bytes, bytes);
        Assert.Equal(await File.ReadAllBytesAsync(source), await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task Upload_AfterAnInterruptedOne_SendsOnlyTheBlocksTheBlobLacks()
    {
        var source = WriteRandomFile("big.save", 20 * BlockSize);
        var blob = _container.GetBlobClient($"resume/{Guid.NewGuid():N}");
        using var dying = new DyingHandler(blocksBeforeDeath: 7);
        using (var first = new HttpClient(dying))
        {
            await Assert.ThrowsAnyAsync<HttpRequestException>(() =>
                new BlockBlobTransfer(first, TimeProvider.System).UploadAsync(TransferArtifact.State, source, new TransferTuning(BlockSize, 4), Grant(blob), CancellationToken.None));
        }

        var staged = (await _container.GetBlockBlobClient(blob.Name).GetBlockListAsync(BlockListTypes.Uncommitted)).Value.UncommittedBlocks.Count();
        Assert.Equal(dying.Staged, staged);

        using var http = new HttpClient();
        var resumed = await new BlockBlobTransfer(http, TimeProvider.System).UploadAsync(TransferArtifact.State, source, new TransferTuning(BlockSize, 4), Grant(blob), CancellationToken.None);

        Assert.Equal(20, resumed.Blocks);
        Assert.Equal(staged, resumed.BlocksKept);
        Assert.Equal(20 - staged, resumed.BlocksSent);
        Assert.Equal(Sha256Of(source), (await blob.GetPropertiesAsync()).Value.Metadata[BlockBlobTransfer.Sha256Metadata]);
        var copy = Path.Combine(_folder, "copy");
        await new BlockBlobTransfer(http, TimeProvider.System).DownloadAsync(copy, new BlobDigest(resumed.Bytes, resumed.Sha256), new TransferTuning(BlockSize, 4), Grant(blob), CancellationToken.None);
        Assert.Equal(await File.ReadAllBytesAsync(source), await File.ReadAllBytesAsync(copy));
    }

    [Fact]
    public async Task Download_OfABlobChangedAfterTheUpload_FailsWithAChecksumMismatch_AndLeavesNoFile()
    {
        var source = WriteRandomFile("state.save", 3 * BlockSize);
        var blob = _container.GetBlobClient($"tampered/{Guid.NewGuid():N}");
        using var http = new HttpClient();
        var transfer = new BlockBlobTransfer(http, TimeProvider.System);
        var uploaded = await transfer.UploadAsync(TransferArtifact.State, source, new TransferTuning(BlockSize, 2), Grant(blob), CancellationToken.None);
        await ChangeOneByteAsync(_container, blob, BlockSize + 17);

        var target = Path.Combine(_folder, "restored");
        var failure = await Assert.ThrowsAsync<CommandFailure>(() =>
            transfer.DownloadAsync(target, new BlobDigest(uploaded.Bytes, uploaded.Sha256), new TransferTuning(BlockSize, 2), Grant(blob), CancellationToken.None));

        Assert.StartsWith("checksum mismatch", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Upload_OfAFileNeedingMoreThan50000Blocks_IsRefusedBeforeSendingAnything()
    {
        var source = WriteRandomFile("huge.save", 50_001 * 1024);
        var blob = _container.GetBlobClient($"huge/{Guid.NewGuid():N}");
        using var http = new HttpClient();

        var failure = await Assert.ThrowsAsync<CommandFailure>(() =>
            new BlockBlobTransfer(http, TimeProvider.System).UploadAsync(TransferArtifact.State, source, new TransferTuning(1024, 2), Grant(blob), CancellationToken.None));

        Assert.Contains("50000", failure.Message, StringComparison.Ordinal);
        Assert.False(await blob.ExistsAsync());
    }

    public void Dispose() => RepositoryPaths.DeleteScratchFolder(_folder);

    /// <summary>Changes one byte of the committed blob, keeping its block ids and metadata: what a damaged or tampered blob looks like.</summary>
    private static async Task ChangeOneByteAsync(BlobContainerClient container, BlobClient blob, int offset)
    {
        var block = container.GetBlockBlobClient(blob.Name);
        var content = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        content[offset] ^= 0xFF;
        var metadata = (await blob.GetPropertiesAsync()).Value.Metadata;
        var ids = (await block.GetBlockListAsync(BlockListTypes.Committed)).Value.CommittedBlocks.Select(b => b.Name).ToList();
        var index = offset / BlockSize;
        using (var changed = new MemoryStream(content, index * BlockSize, Math.Min(BlockSize, content.Length - (index * BlockSize))))
        {
            await block.StageBlockAsync(ids[index], changed);
        }

        await block.CommitBlockListAsync(ids, new CommitBlockListOptions { Metadata = metadata });
    }

    private static Func<CancellationToken, Task<BlobAccessGrant>> Grant(BlobClient blob) => _ =>
    {
        var expires = DateTimeOffset.UtcNow.AddMinutes(30);
        var uri = blob.GenerateSasUri(BlobSasPermissions.Read | BlobSasPermissions.Create | BlobSasPermissions.Write, expires);
        return Task.FromResult(new BlobAccessGrant(uri.ToString(), expires));
    };

    private string WriteRandomFile(string name, int bytes)
    {
        var path = Path.Combine(_folder, name);
        var content = new byte[bytes];
        Random.Shared.NextBytes(content);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Lets a number of blocks through, then fails every request, as a network (or an agent) dying mid-upload.</summary>
    private sealed class DyingHandler(int blocksBeforeDeath) : DelegatingHandler(new HttpClientHandler())
    {
        private int _staged;

        public int Staged => _staged;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var isBlock = request.Method == HttpMethod.Put && request.RequestUri!.Query.Contains("comp=block&", StringComparison.Ordinal);
            if (isBlock && Interlocked.Increment(ref _staged) > blocksBeforeDeath)
            {
                Interlocked.Decrement(ref _staged);
                throw new HttpRequestException("connection reset (the test's dying network)");
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (isBlock && response.StatusCode != HttpStatusCode.Created)
            {
                Interlocked.Decrement(ref _staged);
            }

            return response;
        }
    }

    /// <summary>One Azurite and one container for the class.</summary>
    public sealed class Azurite : IAsyncLifetime
    {
        private AzuriteProcess? _process;

        public BlobContainerClient Container { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _process = await AzuriteProcess.StartAsync();
            Container = new BlobServiceClient(_process.ConnectionString).GetBlobContainerClient("instance-state");
            await Container.CreateIfNotExistsAsync();
        }

        public async Task DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }
        }
    }
}
