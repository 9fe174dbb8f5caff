using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Serverless.Testing;

// The console's first load: the local system with a real agent polling the simulated load balancer (snmpd) that a
// one-member pool activates; then, in a fresh Chromium each time (cold cache, signed in already), the pool's page
// loaded until its chart holds the member's readings. Loads alternate between compressed (what a browser asks for)
// and uncompressed (Accept-Encoding: identity), so both see the same machine. Prints the median time to a rendered
// chart, bytes over the wire, requests, and the ratios.
// Usage: dotnet run -c Release --project bench/Serverless.Bench.ConsoleLoad -- [loads=10]
var loads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
const string Queue = "commands-default";
const string AgentKey = "bench-agent-key";
const string Zone = "bench-lb";

await using var emulator = await ServiceBusEmulatorProcess.StartAsync(TenantQueueConfig.Json(Queue, "agents", AgentKey, lockDurationSeconds: 30));
await using var azurite = await AzuriteProcess.StartAsync();
await using var appliance = await LoadBalancerAppliance.StartAsync(members: 1);
appliance.SteerLoad(1, 60, 20);
await using var host = await LocalHostProcess.StartAsync(azurite, new Dictionary<string, string>
{
    ["ServiceBusConnection"] = emulator.ConnectionString,
    ["Pools__Schedule"] = "*/2 * * * * *",
});
using var client = host.CreateClient();
using var admin = host.CreateClient(LocalHostProcess.MasterKey);
await PostAsync(client, "api/v1/zones", $$"""{"name":"{{Zone}}","kind":"client"}""");
var issued = await PostAsync(admin, "api/v1/agents/credentials", $$"""{"agentId":"agent-{{Zone}}","agentGroup":"{{Zone}}"}""");
await using var agent = await RelayAgentProcess.StartAsync(new RelayAgentSettings(
    $"agent-{Zone}", Zone, "default", emulator.ConnectionStringFor("agents", AgentKey, Queue), Queue, host.BaseAddress, issued.GetProperty("token").GetString()!,
    Environment: new Dictionary<string, string>
    {
        ["RelayAgent__Snmp__Credentials__lb__Version"] = "2c",
        ["RelayAgent__Snmp__Credentials__lb__Community"] = SnmpdProcess.WriteCommunity,
    }));
var registration = await PostAsync(client, "api/v1/resources", $$"""
    {"name":"lb","zone":"{{Zone}}","kind":"snmpAppliance","endpoint":"127.0.0.1:{{appliance.Snmpd.EndPoint.Port}}","deviceProfile":"simulated-load-balancer","credential":"lb"}
    """);
await UntilAsync(async () => (await GetAsync(client, $"api/v1/operations/{registration.GetProperty("operationId").GetString()}")).GetProperty("status").GetString() == "succeeded", "the registration");
await PostAsync(client, "api/v1/pools", """
    {"name":"web","serviceKind":"loadBalancer","members":[{"id":"lb-1","resource":"lb","index":"1"}],
     "policy":{"metric":"connections.active","activateAbove":100,"activateAfterSeconds":60,"deactivateBelow":10,"deactivateAfterSeconds":60,
               "cooldownSeconds":0,"minActive":1,"maxActive":1,"metricsIntervalSeconds":5,"actionTimeoutSeconds":60}}
    """);
await UntilAsync(async () => (await GetAsync(client, "api/v1/pools/web/metrics")).GetProperty("members")[0].GetProperty("readings").GetArrayLength() >= 3, "three readings of lb-1");

var script = Path.Combine(RepositoryPaths.Root, "bench", "Serverless.Bench.ConsoleLoad", "first-load.mjs");
var figures = new Dictionary<bool, List<LoadFigures>> { [true] = [], [false] = [] };
for (var i = -1; i < loads; i++)
{
    foreach (var compressed in i % 2 == 0 ? new[] { true, false } : [false, true])
    {
        var load = await LoadAsync(compressed);
        if (i >= 0)
        {
            figures[compressed].Add(load);
        }
    }
}

var on = Medians(figures[true]);
var off = Medians(figures[false]);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"console first load of a pool page, cold cache, {loads} loads each, alternating:"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  compressed:   {on.Milliseconds:0} ms to a rendered chart, {on.Bytes / 1024.0:0.0} KiB over the wire in {on.Requests} requests ({on.Readings} readings drawn)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  uncompressed: {off.Milliseconds:0} ms to a rendered chart, {off.Bytes / 1024.0:0.0} KiB over the wire in {off.Requests} requests"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  compressed/uncompressed: time {on.Milliseconds / off.Milliseconds:0.00}x, bytes {on.Bytes / off.Bytes:0.00}x"));

async Task<LoadFigures> LoadAsync(bool compressed)
{
    var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
    start.ArgumentList.Add(script);
    start.Environment["CONSOLE_URL"] = new Uri(host.BaseAddress, "api/console/").ToString();
    start.Environment["KEY"] = LocalHostProcess.FunctionKey;
    start.Environment["POOL"] = "web";
    start.Environment["MEMBER"] = "lb-1";
    start.Environment["COMPRESSED"] = compressed ? "1" : "0";
    using var node = Process.Start(start)!;
    var output = node.StandardOutput.ReadToEndAsync();
    var error = node.StandardError.ReadToEndAsync();
    await node.WaitForExitAsync();
    if (node.ExitCode != 0)
    {
        throw new InvalidOperationException($"first-load.mjs failed: {await output} {await error}");
    }

    using var result = JsonDocument.Parse(await output);
    var root = result.RootElement;
    return new LoadFigures(root.GetProperty("milliseconds").GetDouble(), root.GetProperty("bytes").GetDouble(), root.GetProperty("requests").GetInt32(), root.GetProperty("readings").GetInt32());
}

static LoadFigures Medians(List<LoadFigures> loads)
{
    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    return new LoadFigures(Median(loads.Select(l => l.Milliseconds)), Median(loads.Select(l => l.Bytes)), (int)Median(loads.Select(l => (double)l.Requests)), (int)Median(loads.Select(l => (double)l.Readings)));
}

static async Task<JsonElement> PostAsync(HttpClient client, string path, string json)
{
    using var response = await client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
    response.EnsureSuccessStatusCode();
    return await response.Content.ReadFromJsonAsync<JsonElement>();
}

static async Task<JsonElement> GetAsync(HttpClient client, string path) =>
    await client.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative));

static async Task UntilAsync(Func<Task<bool>> condition, string what)
{
    var deadline = DateTime.UtcNow.AddSeconds(90);
    while (!await condition())
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException($"{what} did not happen within 90 s");
        }

        await Task.Delay(500);
    }
}

internal sealed record LoadFigures(double Milliseconds, double Bytes, int Requests, int Readings);
