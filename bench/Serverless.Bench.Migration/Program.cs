using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Serverless.Contracts.Migrations;
using Serverless.RelayAgent.Migration;
using Serverless.Testing;

// Usage: Serverless.Bench.Migration [MiB (1024)] [repeats (3)]
// Medians over the repeats, measured side by side in one run: the copy first, then each tuning's upload and download,
// each tuning against an Azurite of its own: in memory, Azurite frees a deleted blob's extents only on its next
// garbage collection, and a run of every tuning would otherwise fill its extent store (MemoryExtentStoreAtSizeLimit).
var mib = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var folder = RepositoryPaths.NewScratchFolder("bench-migration");
try
{
    var source = Path.Combine(folder, "state.save");
    WriteFile(source, mib);
    var bytes = new FileInfo(source).Length;
    using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
    var transfer = new BlockBlobTransfer(http, TimeProvider.System);

    var copy = Median(repeats, () =>
    {
        var target = Path.Combine(folder, "copy");
        File.Copy(source, target, overwrite: true);
        File.Delete(target);
        return Task.CompletedTask;
    });
    var copySeconds = await copy;
    Console.WriteLine($"{mib} MiB file; plain sequential copy: {copySeconds:0.000} s ({Rate(bytes, copySeconds)})");
    Console.WriteLine("block MiB  concurrency  upload s  (MiB/s)   download s  (MiB/s)   upload+download ÷ copy");
    foreach (var blockMiB in new[] { 4, 8, 16 })
    {
        foreach (var concurrency in new[] { 1, 4, 8, 16 })
        {
            var tuning = new TransferTuning(blockMiB * 1024 * 1024, concurrency);
            await using var azurite = await AzuriteProcess.StartAsync();
            var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("instance-state");
            await container.CreateIfNotExistsAsync();
            var blob = container.GetBlobClient($"bench/{Guid.NewGuid():N}");
            var grant = Grant(blob);
            TransferOutput? uploaded = null;
            var up = await Median(repeats, async () =>
            {
                await blob.DeleteIfExistsAsync();
                uploaded = await transfer.UploadAsync(TransferArtifact.State, source, tuning, grant, CancellationToken.None);
            });
            var down = await Median(repeats, async () =>
            {
                var target = Path.Combine(folder, "restored");
                await transfer.DownloadAsync(target, new BlobDigest(uploaded!.Bytes, uploaded.Sha256), tuning, grant, CancellationToken.None);
                File.Delete(target);
            });
            await blob.DeleteIfExistsAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{blockMiB,9}  {concurrency,11}  {up,8:0.000}  {Rate(bytes, up),-8}  {down,10:0.000}  {Rate(bytes, down),-8}  {(up + down) / copySeconds,8:0.00}x"));
        }
    }
}
finally
{
    RepositoryPaths.DeleteScratchFolder(folder);
}

static async Task<double> Median(int repeats, Func<Task> run)
{
    var times = new List<double>();
    for (var i = 0; i < repeats; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await run();
        times.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    times.Sort();
    return times[times.Count / 2];
}

static string Rate(long bytes, double seconds) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0 / seconds:0}");

static void WriteFile(string path, int mib)
{
    // Random content: a save image compresses poorly, and zeros would flatter every layer.
    var block = new byte[1024 * 1024];
    using var file = File.Create(path);
    for (var i = 0; i < mib; i++)
    {
        Random.Shared.NextBytes(block);
        file.Write(block);
    }
}

static Func<CancellationToken, Task<BlobAccessGrant>> Grant(BlobClient blob) => _ =>
{
    var expires = DateTimeOffset.UtcNow.AddHours(1);
    return Task.FromResult(new BlobAccessGrant(blob.GenerateSasUri(BlobSasPermissions.Read | BlobSasPermissions.Create | BlobSasPermissions.Write, expires).ToString(), expires));
};
