using System.Globalization;
using System.Text;

namespace Serverless.Testing;

/// <summary>
/// The polling benches' members: snmpd <c>override</c> lines serving two gauge columns of a table (so the daemon is not
/// what is measured), and the device profile <c>bench-member</c> that reads member n's values at <c>TABLE.1.n</c> and
/// <c>TABLE.2.n</c>.
/// </summary>
public static class GaugeTable
{
    public const string Profile = "bench-member";

    /// <summary>snmpd configuration: <paramref name="firstColumnRows"/> rows of column 1, <paramref name="secondColumnRows"/> of column 2.</summary>
    public static string Overrides(string table, int firstColumnRows, int secondColumnRows)
    {
        var overrides = new StringBuilder("dontLogTCPWrappersConnects yes\n");
        for (var i = 1; i <= firstColumnRows; i++)
        {
            overrides.Append(CultureInfo.InvariantCulture, $"override .{table}.1.{i} integer {i * 7 % 1000}\n");
        }

        for (var i = 1; i <= secondColumnRows; i++)
        {
            overrides.Append(CultureInfo.InvariantCulture, $"override .{table}.2.{i} integer {i % 100}\n");
        }

        return overrides.ToString();
    }

    /// <summary>Writes the profile into a new <c>profiles</c> folder under <paramref name="folder"/> and returns that folder.</summary>
    public static async Task<string> WriteProfileAsync(string folder, string table)
    {
        var profiles = Directory.CreateDirectory(Path.Combine(folder, "profiles")).FullName;
        await File.WriteAllTextAsync(Path.Combine(profiles, $"{Profile}.json"), $$"""
            { "schemaVersion": 1, "name": "{{Profile}}", "description": "Two gauges per member, served by snmpd overrides.",
              "verify": { "read": [ "{{table}}.1.{member}" ] },
              "activate": [ { "oid": "{{table}}.3.{member}", "type": "i", "value": "1" } ],
              "deactivate": [ { "oid": "{{table}}.3.{member}", "type": "i", "value": "2" } ],
              "load": [
                { "metric": "connections.active", "oid": "{{table}}.1.{member}", "kind": "gauge" },
                { "metric": "cpu.percent", "oid": "{{table}}.2.{member}", "kind": "gauge" } ] }
            """);
        return profiles;
    }
}
