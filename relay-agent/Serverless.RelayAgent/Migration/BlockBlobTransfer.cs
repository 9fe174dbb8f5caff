using System.Buffers;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Migrations;
using Serverless.RelayAgent.Handlers;

namespace Serverless.RelayAgent.Migration;

/// <summary>
/// Moves a file to and from one block blob through the Blob REST API with a SAS the control plane grants for that blob.
/// Upload: one ordered read of the file computes the whole file's SHA-256 and each block's MD5; a block's id is its
/// offset and MD5, so a block an earlier, interrupted delivery staged (the blob's uncommitted list) is kept when its id
/// and size match and only missing blocks travel, <see cref="TransferTuning.Concurrency"/> at a time, each checked by the
/// service against its Content-MD5. The block list is committed with the SHA-256 in the blob's metadata. Download: ranges
/// in parallel written at their offsets, then the SHA-256 checked against what the upload recorded.
/// </summary>
public sealed class BlockBlobTransfer(HttpClient http, TimeProvider clock)
{
    public const int MaxBlocks = 50_000;
    public const string Sha256Metadata = "sha256";
    private const string ApiVersion = "2021-12-02";

    // A grant closer than this to its expiry is asked for again before the next request.
    private static readonly TimeSpan GrantMargin = TimeSpan.FromMinutes(2);

    /// <summary>The block id of the block at <paramref name="offset"/> with content hash <paramref name="md5"/>: same length for every block, as the service requires.</summary>
    public static string BlockId(long offset, ReadOnlySpan<byte> md5) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{offset:D16}-{Convert.ToHexStringLower(md5)}")));

    /// <summary>How many blocks of <paramref name="blockSize"/> a file of <paramref name="bytes"/> needs.</summary>
    public static int BlockCount(long bytes, int blockSize) => (int)((bytes + blockSize - 1) / blockSize);

    public async Task<TransferOutput> UploadAsync(
        TransferArtifact artifact, string path, TransferTuning tuning, Func<CancellationToken, Task<BlobAccessGrant>> grant, CancellationToken cancellationToken)
    {
        Check(tuning);
        var started = clock.GetTimestamp();
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var bytes = file.Length;
        var count = BlockCount(bytes, tuning.BlockSizeBytes);
        if (count > MaxBlocks)
        {
            throw new CommandFailure(CommandErrorKind.InvalidPayload,
                $"{bytes} bytes in blocks of {tuning.BlockSizeBytes} would need {count} blocks; a block blob holds at most {MaxBlocks}: use larger blocks.");
        }

        var access = new GrantCache(grant, clock);
        var staged = await StagedBlocksAsync(access, cancellationToken);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var ids = new List<string>(count);
        var inFlight = new List<Task>();
        var sent = 0;
        var kept = 0;
        for (var index = 0; index < count; index++)
        {
            var offset = (long)index * tuning.BlockSizeBytes;
            var length = (int)Math.Min(tuning.BlockSizeBytes, bytes - offset);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
            sha.AppendData(buffer, 0, length);
            var md5 = MD5.HashData(buffer.AsSpan(0, length));
            var id = BlockId(offset, md5);
            ids.Add(id);
            if (staged.TryGetValue(id, out var size) && size == length)
            {
                kept++;
                ArrayPool<byte>.Shared.Return(buffer);
                continue;
            }

            if (inFlight.Count >= tuning.Concurrency)
            {
                var done = await Task.WhenAny(inFlight);
                inFlight.Remove(done);
                if (done.IsFaulted)
                {
                    // Let the blocks still in flight end (they hold pooled buffers), then fail with the first error.
                    await Task.WhenAll([done, .. inFlight]);
                }
            }

            sent++;
            inFlight.Add(PutBlockAsync(access, id, buffer, length, md5, cancellationToken));
        }

        await Task.WhenAll(inFlight);
        var digest = Convert.ToHexStringLower(sha.GetHashAndReset());
        await PutBlockListAsync(access, ids, digest, cancellationToken);
        return new TransferOutput(artifact, bytes, digest, count, sent, kept, clock.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// Downloads the blob to <paramref name="path"/> and checks it is <paramref name="expected"/>: its size and metadata
    /// first, then the SHA-256 of what arrived. A mismatch deletes the file and fails, naming both digests.
    /// </summary>
    public async Task<long> DownloadAsync(
        string path, BlobDigest expected, TransferTuning tuning, Func<CancellationToken, Task<BlobAccessGrant>> grant, CancellationToken cancellationToken)
    {
        Check(tuning);
        var access = new GrantCache(grant, clock);
        using (var head = await SendAsync(access, HttpMethod.Head, string.Empty, null, cancellationToken))
        {
            await EnsureAsync(head, "reading the blob's properties", cancellationToken);
            var length = head.Content.Headers.ContentLength ?? -1;
            var recorded = head.Headers.TryGetValues("x-ms-meta-" + Sha256Metadata, out var values) ? values.FirstOrDefault() : null;
            if (length != expected.Bytes || !string.Equals(recorded, expected.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new CommandFailure(CommandErrorKind.DeviceError,
                    $"the blob is not what the upload wrote: {length} bytes with SHA-256 {recorded ?? "none"} in its metadata, expected {expected.Bytes} bytes with {expected.Sha256}.");
            }
        }

        try
        {
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.Asynchronous))
            {
                file.SetLength(expected.Bytes);
                var handle = file.SafeFileHandle;
                var ranges = BlockCount(expected.Bytes, tuning.BlockSizeBytes);
                using var gate = new SemaphoreSlim(tuning.Concurrency);
                await Task.WhenAll(Enumerable.Range(0, ranges).Select(async index =>
                {
                    await gate.WaitAsync(cancellationToken);
                    try
                    {
                        var offset = (long)index * tuning.BlockSizeBytes;
                        var length = (int)Math.Min(tuning.BlockSizeBytes, expected.Bytes - offset);
                        await GetRangeAsync(access, handle, offset, length, cancellationToken);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            var actual = await HashFileAsync(path, cancellationToken);
            if (!string.Equals(actual, expected.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new CommandFailure(CommandErrorKind.DeviceError,
                    $"checksum mismatch: the downloaded {expected.Bytes} bytes have SHA-256 {actual}, the upload recorded {expected.Sha256}; the blob was changed or damaged.");
            }

            return expected.Bytes;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

    private static void Check(TransferTuning tuning)
    {
        if (tuning.BlockSizeBytes is < 1024 or > 100 * 1024 * 1024 || tuning.Concurrency is < 1 or > 64)
        {
            throw CommandPayload.Invalid("tuning: blockSizeBytes must be 1 KiB to 100 MiB, concurrency 1 to 64.");
        }
    }

    /// <summary>The blob's uncommitted and committed blocks by id; none when the blob does not exist yet.</summary>
    private async Task<Dictionary<string, long>> StagedBlocksAsync(GrantCache access, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(access, HttpMethod.Get, "comp=blocklist&blocklisttype=all", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        await EnsureAsync(response, "listing the blob's blocks", cancellationToken);
        var list = XElement.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var blocks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var block in list.Descendants("Block"))
        {
            if (block.Element("Name")?.Value is { } name && long.TryParse(block.Element("Size")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                blocks[name] = size;
            }
        }

        return blocks;
    }

    private async Task PutBlockAsync(GrantCache access, string id, byte[] buffer, int length, byte[] md5, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(buffer, 0, length);
            content.Headers.ContentMD5 = md5;
            using var response = await SendAsync(access, HttpMethod.Put, $"comp=block&blockid={Uri.EscapeDataString(id)}", content, cancellationToken);
            await EnsureAsync(response, "staging a block", cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task PutBlockListAsync(GrantCache access, IReadOnlyList<string> ids, string sha256, CancellationToken cancellationToken)
    {
        var body = new XElement("BlockList", ids.Select(id => new XElement("Latest", id)));
        using var content = new StringContent("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + body.ToString(SaveOptions.DisableFormatting), Encoding.UTF8, "application/xml");
        content.Headers.Add("x-ms-meta-" + Sha256Metadata, sha256);
        content.Headers.Add("x-ms-blob-content-type", "application/octet-stream");
        using var response = await SendAsync(access, HttpMethod.Put, "comp=blocklist", content, cancellationToken);
        await EnsureAsync(response, "committing the block list", cancellationToken);
    }

    private async Task GetRangeAsync(GrantCache access, Microsoft.Win32.SafeHandles.SafeFileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(access, HttpMethod.Get, string.Empty, null, cancellationToken);
        request.Headers.Add("x-ms-range", string.Create(CultureInfo.InvariantCulture, $"bytes={offset}-{offset + length - 1}"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(response, "reading a range", cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(length, 1 << 20));
        try
        {
            var written = 0;
            while (written < length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, length - written)), cancellationToken);
                if (read == 0)
                {
                    throw new CommandFailure(CommandErrorKind.Unreachable, $"the blob's range at {offset} ended after {written} of {length} bytes.");
                }

                await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, read), offset + written, cancellationToken);
                written += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(GrantCache access, HttpMethod method, string query, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(access, method, query, content, cancellationToken);
        return await http.SendAsync(request, cancellationToken);
    }

    private static async Task<HttpRequestMessage> RequestAsync(GrantCache access, HttpMethod method, string query, HttpContent? content, CancellationToken cancellationToken)
    {
        var url = (await access.GetAsync(cancellationToken)).Url;
        var request = new HttpRequestMessage(method, query.Length == 0 ? url : $"{url}&{query}") { Content = content };
        request.Headers.Add("x-ms-version", ApiVersion);
        return request;
    }

    /// <summary>Fails with the service's error code; the SAS in the request URL is never part of the message.</summary>
    private static async Task EnsureAsync(HttpResponseMessage response, string doing, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var code = response.Headers.TryGetValues("x-ms-error-code", out var codes) ? codes.FirstOrDefault() : null;
        if (code is null && response.Content.Headers.ContentLength is > 0)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            code = body.Length > 0 && body.TrimStart().StartsWith('<') ? XElement.Parse(body).Element("Code")?.Value : null;
        }

        var kind = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized ? CommandErrorKind.Unauthorized : CommandErrorKind.DeviceError;
        throw new CommandFailure(kind, $"Blob Storage refused {doing}: {(int)response.StatusCode} {code ?? response.ReasonPhrase}.");
    }

    /// <summary>The current grant, asked for again shortly before it expires.</summary>
    private sealed class GrantCache(Func<CancellationToken, Task<BlobAccessGrant>> grant, TimeProvider clock)
    {
        private readonly SemaphoreSlim _gate = new(1);
        private BlobAccessGrant? _current;

        public async Task<BlobAccessGrant> GetAsync(CancellationToken cancellationToken)
        {
            if (_current is { } fresh && fresh.ExpiresAt - clock.GetUtcNow() > GrantMargin)
            {
                return fresh;
            }

            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_current is not { } current || current.ExpiresAt - clock.GetUtcNow() <= GrantMargin)
                {
                    _current = await grant(cancellationToken);
                }

                return _current;
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
