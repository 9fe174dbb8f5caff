using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

// net-snmp pass_persist handler (snmpd.conf: pass_persist .1.3.6.1.4.1.8072.9999.1 dotnet <this dll> --state FILE).
// The member table lives in the state file: read on every request, so tests can steer the load a member reports;
// written on every set, so tests can read back what a set did. Columns under the base OID, per member index:
//   .1.<i> adminState  INTEGER  up(1) / down(2), writable
//   .2.<i> connections Gauge32  read-only
//   .3.<i> cpuPercent  Gauge32  read-only
const string BaseOid = ".1.3.6.1.4.1.8072.9999.1";
var statePath = args.Length == 2 && args[0] == "--state" ? args[1] : null;
if (statePath is null)
{
    Console.Error.WriteLine("usage: Serverless.SnmpAppliance --state FILE");
    return 2;
}

var input = Console.In;
var output = Console.Out;
while (await input.ReadLineAsync() is { } command)
{
    switch (command.Trim())
    {
        case "PING":
            await output.WriteLineAsync("PONG");
            break;
        case "get":
            await output.WriteAsync(Answer(Find(Members(), await input.ReadLineAsync() ?? string.Empty, next: false)));
            break;
        case "getnext":
            await output.WriteAsync(Answer(Find(Members(), await input.ReadLineAsync() ?? string.Empty, next: true)));
            break;
        case "set":
            var oid = await input.ReadLineAsync() ?? string.Empty;
            var value = await input.ReadLineAsync() ?? string.Empty;
            await output.WriteLineAsync(Set(oid.Trim(), value.Trim()));
            break;
        case "":
            break;
        default:
            await output.WriteLineAsync("NONE");
            break;
    }

    await output.FlushAsync();
}

return 0;

List<Member> Members() =>
    JsonSerializer.Deserialize(File.ReadAllText(statePath), ApplianceJsonContext.Default.ApplianceState)?.Members.OrderBy(m => m.Index).ToList() ?? [];

// Rows in OID order: column first, then member index.
IEnumerable<(uint[] Arcs, string Type, string Value)> Rows(List<Member> members)
{
    foreach (var column in new uint[] { 1, 2, 3 })
    {
        foreach (var member in members)
        {
            yield return column switch
            {
                1 => ([1, member.Index], "integer", member.AdminState.ToString(CultureInfo.InvariantCulture)),
                2 => ([2, member.Index], "gauge", member.Connections.ToString(CultureInfo.InvariantCulture)),
                _ => ([3, member.Index], "gauge", member.CpuPercent.ToString(CultureInfo.InvariantCulture)),
            };
        }
    }
}

(string Oid, string Type, string Value)? Find(List<Member> members, string requested, bool next)
{
    var arcs = Relative(requested.Trim());
    foreach (var (rowArcs, type, value) in Rows(members))
    {
        var order = Compare(rowArcs, arcs);
        if ((next && order > 0) || (!next && order == 0))
        {
            return ($"{BaseOid}.{string.Join('.', rowArcs)}", type, value);
        }
    }

    return null;
}

// The requested OID relative to the base; an OID before the base walks from the start, one after it from the end.
uint[] Relative(string oid)
{
    if (oid.StartsWith(BaseOid + ".", StringComparison.Ordinal))
    {
        return oid[(BaseOid.Length + 1)..].Split('.').Select(a => uint.TryParse(a, CultureInfo.InvariantCulture, out var arc) ? arc : uint.MaxValue).ToArray();
    }

    return string.CompareOrdinal(oid, BaseOid) <= 0 ? [] : [uint.MaxValue];
}

static int Compare(uint[] left, uint[] right)
{
    for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
    {
        if (left[i] != right[i])
        {
            return left[i].CompareTo(right[i]);
        }
    }

    return left.Length.CompareTo(right.Length);
}

static string Answer((string Oid, string Type, string Value)? row) => row is { } r ? $"{r.Oid}\n{r.Type}\n{r.Value}\n" : "NONE\n";

string Set(string oid, string typedValue)
{
    var arcs = Relative(oid);
    var members = Members();
    if (arcs.Length != 2 || members.FindIndex(m => m.Index == arcs[1]) is var at && at < 0)
    {
        return "not-writable";
    }

    if (arcs[0] != 1)
    {
        return "not-writable";
    }

    var parts = typedValue.Split(' ', 2);
    if (parts[0] != "integer")
    {
        return "wrong-type";
    }

    if (!int.TryParse(parts[1], CultureInfo.InvariantCulture, out var state) || state is not (1 or 2))
    {
        return "wrong-value";
    }

    members[at] = members[at] with { AdminState = state };
    var temporary = statePath + ".tmp";
    File.WriteAllText(temporary, JsonSerializer.Serialize(new ApplianceState(members), ApplianceJsonContext.Default.ApplianceState));
    File.Move(temporary, statePath, overwrite: true);
    return "DONE";
}

internal sealed record ApplianceState(List<Member> Members);

internal sealed record Member(uint Index, int AdminState, uint Connections, uint CpuPercent);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ApplianceState))]
internal sealed partial class ApplianceJsonContext : JsonSerializerContext;
