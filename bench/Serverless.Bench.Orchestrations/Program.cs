using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.History;
using Serverless.Contracts;
using Serverless.Testing;

// Load harness: time from POST /api/v1/resources to the registration orchestration (three sequential activities and
// one external event) completing, through the real local host on Azurite; plus host start-up time and memory.
// Usage: dotnet run -c Release --project bench/Serverless.Bench.Orchestrations -- [runs] [polling...]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
var pollings = args.Length > 1 ? args[1..] : ["00:00:30", "00:00:01", "00:00:00.250"];

await using var azurite = await AzuriteProcess.StartAsync();
Console.WriteLine($"runs per setting: {runs}");
Console.WriteLine("polling       | start-up ms | RSS MB | p50 ms | p99 ms | max ms");
foreach (var (setting, polling) in pollings.Index())
{
    var startWatch = Stopwatch.StartNew();
    await using var host = await LocalHostProcess.StartAsync(azurite, new Dictionary<string, string>
    {
        ["LocalHost__MaxQueuePollingInterval"] = polling,
        ["Registration__VerificationTimeoutSeconds"] = "600",
    });
    var startupMs = startWatch.ElapsedMilliseconds;
    using var client = host.CreateClient();
    using var zone = await client.PostAsync(new Uri("api/v1/zones", UriKind.Relative), new StringContent("""{"name":"bench","kind":"client"}""", Encoding.UTF8, "application/json"));
    var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
    {
        TaskHubName = host.HubName,
        StorageAccountClientProvider = new StorageAccountClientProvider(azurite.ConnectionString),
    });

    var timings = new List<double>();
    for (var i = -3; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        using var accepted = await client.PostAsync(
            new Uri("api/v1/resources", UriKind.Relative),
            new StringContent($$"""{"name":"s{{setting}}-h{{i + 3}}","zone":"bench","kind":"virtualizationHost","endpoint":"test:///default"}""", Encoding.UTF8, "application/json"));
        var operationId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("operationId").GetString()!;
        var instanceId = $"default.{operationId}";
        var result = new CapabilityVerificationResult(SchemaVersions.Current, $"{instanceId}-verify", true, new Dictionary<string, string>(), []);
        await service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = new EventRaisedEvent(-1, JsonSerializer.Serialize(result, ContractsJsonContext.Default.CapabilityVerificationResult)) { Name = CapabilityVerificationResult.EventName },
        });
        while (true)
        {
            var operation = await client.GetFromJsonAsync<JsonElement>(new Uri($"api/v1/operations/{operationId}", UriKind.Relative));
            if (operation.GetProperty("status").GetString() is "succeeded" or "failed")
            {
                break;
            }

            await Task.Delay(10);
        }

        // The first runs warm up JIT and storage tables; they are not counted.
        if (i >= 0)
        {
            timings.Add(watch.Elapsed.TotalMilliseconds);
        }
    }

    timings.Sort();
    var rssMb = ReadRssMb(host.ProcessId);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{polling,-13} | {startupMs,11} | {rssMb,6:0} | {Percentile(timings, 0.50),6:0} | {Percentile(timings, 0.99),6:0} | {timings[^1],6:0}"));
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static double ReadRssMb(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}
