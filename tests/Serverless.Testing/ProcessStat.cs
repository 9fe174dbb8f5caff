using System.Globalization;

namespace Serverless.Testing;

/// <summary>Another process's figures from <c>/proc/PID/stat</c>, for the benches and the orphan watchdog.</summary>
public static class ProcessStat
{
    /// <summary>User + system CPU time in milliseconds (utime + stime, in clock ticks of 10 ms).</summary>
    public static double CpuMilliseconds(int pid)
    {
        var fields = Fields(pid);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    /// <summary>The start time (clock ticks since boot); with the pid, it names one process for good. Null when none runs.</summary>
    public static string? StartTime(int pid)
    {
        try
        {
            return Fields(pid)[19];
        }
        catch (IOException)
        {
            return null;
        }
    }

    // The fields after the command name, which may hold spaces and parentheses: the first is field 3 (state).
    private static string[] Fields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
