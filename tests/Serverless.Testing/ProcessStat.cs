using System.Globalization;

namespace Serverless.Testing;

/// <summary>A process's figures from <c>/proc</c>, for the benches and the orphan watchdog.</summary>
public static class ProcessStat
{
    /// <summary>User + system CPU time in milliseconds (utime + stime, in clock ticks of 10 ms).</summary>
    public static double CpuMilliseconds(int pid) => Ticks(Fields(Id(pid)), 11, 12);

    /// <summary>User + system CPU time of the children this process has waited for (cutime + cstime), in milliseconds.</summary>
    public static double ReapedChildrenCpuMilliseconds() => Ticks(Fields("self"), 13, 14);

    /// <summary>A memory line of <c>/proc/PID/status</c> in MiB: <c>VmRSS</c> (resident now) or <c>VmHWM</c> (its peak).</summary>
    public static double MemoryMiB(int pid, string field = "VmRSS")
    {
        var line = File.ReadLines($"/proc/{Id(pid)}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>The start time (clock ticks since boot); with the pid, it names one process for good. Null when none runs.</summary>
    public static string? StartTime(int pid)
    {
        try
        {
            return Fields(Id(pid))[19];
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Id(int pid) => pid.ToString(CultureInfo.InvariantCulture);

    private static double Ticks(string[] fields, int first, int second) =>
        (long.Parse(fields[first], CultureInfo.InvariantCulture) + long.Parse(fields[second], CultureInfo.InvariantCulture)) * 10.0;

    // The fields after the command name, which may hold spaces and parentheses: the first is field 3 (state).
    private static string[] Fields(string process)
    {
        var stat = File.ReadAllText($"/proc/{process}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
