using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Serverless.Snmp;
using Serverless.Testing;

// Load harness: how fast a pool reacts. Azurite, the Service Bus emulator, the local Functions host (evaluator every
// TICK s), a relay agent polling the snmpd appliance every 5 s, each in its own process. Each run raises member 1's
// load above the threshold, reads the device over SNMP every 20 ms until member 2 is up, then lowers the load and waits
// for member 2 to go down again. Two figures per run:
//   from the breach's hold: the device shows member 2 up, minus (the moment the load was raised + the 5 s hold);
//     it includes up to one metrics interval before the agent's poll sees the new load;
//   from the policy: the device shows member 2 up, minus (the first reading above + the hold), the moment the policy
//     can first act, taken from the decision's own log entry.
// Usage: dotnet run -c Release --project bench/Serverless.Bench.PoolReaction -- [RUNS] [TICK_SECONDS]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
var tick = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
const int Hold = 5;
const string Queue = "commands-default";
var config = TenantQueueConfig.Json(Queue, "agents", "bench-agent-key", lockDurationSeconds: 30);

await using var azurite = await AzuriteProcess.StartAsync();
await using var emulator = await ServiceBusEmulatorProcess.StartAsync(config);
await using var host = await LocalHostProcess.StartAsync(azurite, new Dictionary<string, string>
{
    ["ServiceBusConnection"] = emulator.ConnectionString,
    ["Pools__Schedule"] = $"*/{tick} * * * * *",
    ["Connectivity__Schedule"] = "*/5 * * * * *",
});
await using var appliance = await LoadBalancerAppliance.StartAsync(members: 2);
appliance.SetAdminState(2, 2);
using var client = host.CreateClient();
using var admin = host.CreateClient(LocalHostProcess.MasterKey);
await client.PostAsync(new Uri("api/v1/zones", UriKind.Relative), Json("""{"name":"bench-dc","kind":"client"}"""));
var issued = await (await admin.PostAsync(new Uri("api/v1/agents/credentials", UriKind.Relative), Json("""{"agentId":"bench-agent","agentGroup":"bench-dc"}""")))
    .Content.ReadFromJsonAsync<JsonElement>();
await using var agent = await RelayAgentProcess.StartAsync(new RelayAgentSettings(
    "bench-agent", "bench-dc", "default", emulator.ConnectionStringFor("agents", "bench-agent-key", Queue), Queue,
    new Uri($"http://127.0.0.1:{host.Port}/"), issued.GetProperty("token").GetString()!, HeartbeatIntervalSeconds: 2,
    Environment: new Dictionary<string, string>
    {
        ["RelayAgent__Snmp__Credentials__lb__Version"] = "2c",
        ["RelayAgent__Snmp__Credentials__lb__Community"] = SnmpdProcess.WriteCommunity,
    }));

var registered = await (await client.PostAsync(new Uri("api/v1/resources", UriKind.Relative), Json($$"""
    {"name":"lb","zone":"bench-dc","kind":"snmpAppliance","endpoint":"127.0.0.1:{{appliance.Snmpd.EndPoint.Port}}","deviceProfile":"simulated-load-balancer","credential":"lb"}
    """))).Content.ReadFromJsonAsync<JsonElement>();
await WaitAsync(async () => (await client.GetFromJsonAsync<JsonElement>(new Uri(registered.GetProperty("operationUrl").GetString()!.TrimStart('/'), UriKind.Relative)))
    .GetProperty("status").GetString() == "succeeded", "the registration");
await client.PostAsync(new Uri("api/v1/pools", UriKind.Relative), Json($$$"""
    {"name":"bench","serviceKind":"loadBalancer","members":[{"id":"m1","resource":"lb","index":"1"},{"id":"m2","resource":"lb","index":"2"}],
     "policy":{"metric":"connections.active","activateAbove":100,"activateAfterSeconds":{{{Hold}}},"deactivateBelow":40,"deactivateAfterSeconds":{{{Hold}}},
               "cooldownSeconds":0,"minActive":1,"maxActive":2,"metricsIntervalSeconds":5,"actionTimeoutSeconds":60}}
    """));

await using var snmp = new SnmpClient();
var target = new CommunityTarget(appliance.Snmpd.EndPoint, SnmpdProcess.ReadCommunity);
await WaitAsync(async () => await AdminStateAsync(2) == 2 && await AdminStateAsync(1) == 1, "member 1 active for the minimum");

var fromHold = new List<double>();
var fromPolicy = new List<double>();
for (var run = 0; run < runs; run++)
{
    await Task.Delay(TimeSpan.FromSeconds(Hold + 5));
    var raisedAt = DateTimeOffset.UtcNow;
    appliance.SteerLoad(1, 400, 80);
    await WaitAsync(async () => await AdminStateAsync(2) == 1, "member 2 up");
    var upAt = DateTimeOffset.UtcNow;
    var since = await BreachSinceAsync();
    fromHold.Add((upAt - raisedAt - TimeSpan.FromSeconds(Hold)).TotalMilliseconds);
    fromPolicy.Add((upAt - since - TimeSpan.FromSeconds(Hold)).TotalMilliseconds);
    Console.WriteLine($"run {run + 1,2}: {fromHold[^1],7:0} ms from the hold, {fromPolicy[^1],7:0} ms from the policy's first chance");
    appliance.SteerLoad(1, 10, 5);
    appliance.SteerLoad(2, 10, 5);
    await WaitAsync(async () => await AdminStateAsync(2) == 2, "member 2 down");
}

Console.WriteLine($"evaluator tick {tick} s, metrics interval 5 s, hold {Hold} s, {runs} runs");
Console.WriteLine($"from the hold:   p50 {Percentile(fromHold, 0.50):0} ms, p99 {Percentile(fromHold, 0.99):0} ms, max {fromHold.Max():0} ms");
Console.WriteLine($"from the policy: p50 {Percentile(fromPolicy, 0.50):0} ms, p99 {Percentile(fromPolicy, 0.99):0} ms, max {fromPolicy.Max():0} ms");

async Task<int> AdminStateAsync(int member) =>
    (await snmp.GetAsync(target, [Oid.Parse($"1.3.6.1.4.1.8072.9999.1.1.{member}")]))[0].Value.AsInt32();

// The newest decision that activated: its reason says since when the load was held above the threshold.
async Task<DateTimeOffset> BreachSinceAsync()
{
    var events = await client.GetFromJsonAsync<JsonElement>(new Uri("api/v1/pools/bench/events?pageSize=20", UriKind.Relative));
    var reason = events.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("reason").GetString()!).First(r => r.Contains("above 100 since ", StringComparison.Ordinal));
    var text = reason[(reason.IndexOf(" since ", StringComparison.Ordinal) + 7)..].Split(' ')[0];
    return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}

static async Task WaitAsync(Func<Task<bool>> condition, string what)
{
    var deadline = DateTime.UtcNow.AddSeconds(90);
    while (!await condition())
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException($"no {what} within 90 s");
        }

        await Task.Delay(20);
    }
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
