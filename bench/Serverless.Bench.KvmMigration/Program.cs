using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Serverless.Bench.KvmMigration;
using Serverless.Testing;

// End-to-end cutover of a real KVM guest with MIB MiB of memory state (every part real and in its own process:
// Azurite, the Service Bus emulator, the local host, libvirtd, and two relay agents sharing the one hypervisor, a client
// zone's and a provider zone's, each with its own storage pool). The guest boots a sector that fills its memory, so
// the save image is as large as asked. Side by side on that guest, in one run:
//   1. the baseline: `virsh save` + a plain sequential copy of the image + `virsh restore`, on one host;
//   2. POST /api/v1/instances/{id}/migrations → succeeded, timed by the client, with the phases the record gives;
// and (2) as a multiple of (1) (target ≤ 1.5×).
// Usage: dotnet run -c Release --project bench/Serverless.Bench.KvmMigration -- [MiB (1024)]
var mib = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
if (KvmHypervisor.Unavailable() is { } unavailable)
{
    Console.Error.WriteLine($"kvm migration bench: {unavailable}.");
    return 2;
}

const string Queue = "commands-default";
var suffix = Guid.NewGuid().ToString("N")[..8];
var (sourcePool, targetPool, name) = ($"hcp-bsrc-{suffix}", $"hcp-bdst-{suffix}", $"bench-mig-{suffix}");
var folder = RepositoryPaths.NewScratchFolder("bench-kvm-migration");
var agents = new List<RelayAgentProcess>();
await using var hypervisor = await KvmHypervisor.StartAsync();
try
{
    var (sourceFolder, targetFolder) = (Path.Combine(folder, "src"), Path.Combine(folder, "dst"));
    foreach (var (pool, path) in new[] { (sourcePool, sourceFolder), (targetPool, targetFolder) })
    {
        Directory.CreateDirectory(path);
        await using (var disk = File.Create(Path.Combine(path, "filler.img")))
        {
            disk.Write(FillerBootSector.For(mib));
            disk.SetLength(1 << 20);
        }

        await KvmHypervisor.VirshAsync("pool-create-as", pool, "dir", "--target", path);
    }

    await using var azurite = await AzuriteProcess.StartAsync();
    await using var emulator = await ServiceBusEmulatorProcess.StartAsync(TenantQueueConfig.Json(Queue, "agents", "bench-agent-key", lockDurationSeconds: 30));
    await using var host = await LocalHostProcess.StartAsync(azurite, new Dictionary<string, string>
    {
        ["LocalHost__MaxQueuePollingInterval"] = "00:00:01",
        ["ServiceBusConnection"] = emulator.ConnectionString,
    });
    using var client = host.CreateClient();
    using var admin = host.CreateClient(LocalHostProcess.MasterKey);
    var (dc, cloud) = ($"bench-dc-{suffix}", $"bench-cloud-{suffix}");
    foreach (var (zone, kind, pool) in new[] { (dc, "client", sourcePool), (cloud, "provider", targetPool) })
    {
        await SendAsync(client, "api/v1/zones", $$"""{"name":"{{zone}}","kind":"{{kind}}"}""");
        var credential = (await SendAsync(admin, "api/v1/agents/credentials", $$"""{"agentId":"agent-{{zone}}","agentGroup":"{{zone}}"}""")).GetProperty("token").GetString()!;
        agents.Add(await RelayAgentProcess.StartAsync(new RelayAgentSettings(
            $"agent-{zone}", zone, "default", emulator.ConnectionStringFor("agents", "bench-agent-key", Queue), Queue,
            new Uri($"http://127.0.0.1:{host.Port}/"), credential, HeartbeatIntervalSeconds: 30,
            Environment: new Dictionary<string, string>
            {
                ["RelayAgent__Libvirt__Uris__0"] = KvmHypervisor.Uri,
                ["RelayAgent__Libvirt__Images__filler"] = $"{pool}/filler.img",
                ["RelayAgent__Libvirt__StateDirectory"] = Path.Combine(folder, $"state-{kind}"),
            })));
        var registered = await SendAsync(client, "api/v1/resources",
            $$"""{"name":"kvm-{{zone}}","zone":"{{zone}}","kind":"virtualizationHost","endpoint":"{{KvmHypervisor.Uri}}","serviceCategories":["compute","migration"]}""");
        await OperationAsync(client, registered);
    }

    var launched = await SendAsync(client, "api/v1/instances", $$"""{"name":"{{name}}","zone":"{{dc}}","size":{"vcpus":1,"memoryMiB":{{mib + 64}}},"image":"filler"}""");
    await OperationAsync(client, launched);
    var filling = Stopwatch.StartNew();
    while (await KvmHypervisor.VirshAsync("qemu-monitor-command", name, "--hmp", "info registers") is var registers
        && !(registers.Contains("HLT=1", StringComparison.Ordinal) && registers.Contains(FillerBootSector.FilledEdi(mib), StringComparison.Ordinal)))
    {
        if (filling.Elapsed > TimeSpan.FromMinutes(15))
        {
            throw new TimeoutException($"the guest did not fill {mib} MiB within 15 min: {registers}");
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    Console.WriteLine($"guest {name}: {mib} MiB of memory filled in {filling.Elapsed.TotalSeconds:0} s");

    // The baseline, on the source host: save, copy the image, restore it (the guest runs again from the same disk).
    var image = Path.Combine(folder, "baseline.save");
    var save = await TimedAsync(() => KvmHypervisor.VirshAsync("save", name, image));
    var imageBytes = new FileInfo(image).Length;
    var copy = await TimedAsync(() => Task.Run(() => File.Copy(image, image + ".copy")));
    var restore = await TimedAsync(() => KvmHypervisor.VirshAsync("restore", image));
    File.Delete(image);
    File.Delete(image + ".copy");
    var baseline = save + copy + restore;
    Console.WriteLine($"baseline: virsh save {save:0.00} s ({imageBytes:N0} bytes), plain copy {copy:0.00} s, virsh restore {restore:0.00} s: {baseline:0.00} s");

    // The restored guest must be seen running again before the migration's preflight describes it.
    await UntilAsync(client, $"api/v1/instances/{name}", i => i.GetProperty("state").GetString() == "running", TimeSpan.FromMinutes(2));
    var watch = Stopwatch.StartNew();
    var accepted = await SendAsync(client, $"api/v1/instances/{name}/migrations", $$"""{"targetZone":"{{cloud}}"}""");
    var ended = await UntilAsync(client, $"api/v1/migrations/{accepted.GetProperty("migrationId").GetString()}", m => m.GetProperty("status").GetString() != "running", TimeSpan.FromMinutes(15));
    var cutover = watch.Elapsed.TotalSeconds;
    if (ended.GetProperty("status").GetString() != "succeeded")
    {
        throw new InvalidOperationException($"the migration did not succeed: {ended}");
    }

    var bytes = ended.GetProperty("bytes");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"cutover (POST → succeeded, client-timed): {cutover:0.00} s, {cutover / baseline:0.00}× the baseline (target ≤ 1.5×); state {bytes.GetProperty("state").GetInt64():N0} bytes, disk {bytes.GetProperty("disk").GetInt64():N0} bytes"));
    Console.WriteLine("  phases: " + string.Join(", ", ended.GetProperty("phases").EnumerateArray()
        .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.GetProperty("phase").GetString()} {(p.GetProperty("seconds").ValueKind == JsonValueKind.Number ? p.GetProperty("seconds").GetDouble() : double.NaN):0.00} s"))));
    Console.WriteLine($"  libvirt: {name} {(await KvmHypervisor.VirshAsync("domstate", name)).Trim()}, disk {(await KvmHypervisor.VirshAsync("domblklist", name)).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("vda", StringComparison.Ordinal))}");
    return 0;
}
finally
{
    foreach (var agent in agents)
    {
        await agent.DisposeAsync();
    }

    await KvmHypervisor.RemoveAsync(name, sourcePool, targetPool);
    RepositoryPaths.DeleteScratchFolder(folder);
}

static async Task<JsonElement> SendAsync(HttpClient client, string path, string json)
{
    using var response = await client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
    return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {body}");
}

static async Task OperationAsync(HttpClient client, JsonElement accepted)
{
    var operation = await UntilAsync(client, $"api/v1/operations/{accepted.GetProperty("operationId").GetString()}", o => o.GetProperty("status").GetString() is "succeeded" or "failed", TimeSpan.FromMinutes(3));
    if (operation.GetProperty("status").GetString() != "succeeded")
    {
        throw new InvalidOperationException($"an operation failed: {operation}");
    }
}

// Polls every 50 ms, so the client-timed end is at most that late.
static async Task<JsonElement> UntilAsync(HttpClient client, string path, Func<JsonElement, bool> done, TimeSpan timeout) =>
    await Eventually.GetAsync<JsonElement?>(
        async () => await client.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative)) is var body && done(body) ? body : null,
        timeout, $"GET {path} to reach the state asked for", TimeSpan.FromMilliseconds(50)) ?? default;

static async Task<double> TimedAsync(Func<Task> run)
{
    var started = Stopwatch.GetTimestamp();
    await run();
    return Stopwatch.GetElapsedTime(started).TotalSeconds;
}
