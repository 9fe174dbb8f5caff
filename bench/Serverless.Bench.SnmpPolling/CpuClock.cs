using System.Diagnostics;
using System.Globalization;

namespace Serverless.Bench.SnmpPolling;

/// <summary>CPU time from /proc: of this process, of its reaped children, or of another process.</summary>
internal static class CpuClock
{
    // USER_HZ, the unit of /proc/*/stat times; 100 on every Linux this runs on (getconf CLK_TCK).
    private const double TicksPerSecond = 100;

    public static TimeSpan Own() => Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>User + system time of children this process has waited for (cutime + cstime).</summary>
    public static TimeSpan Children() => Fields("self", 13, 14);

    public static TimeSpan Of(int processId) => Fields(processId.ToString(CultureInfo.InvariantCulture), 11, 12);

    // Fields after the command name (which may hold spaces): utime is the 12th of them, cutime the 14th (0-based 11, 13).
    private static TimeSpan Fields(string process, int first, int second)
    {
        var stat = File.ReadAllText($"/proc/{process}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[first], CultureInfo.InvariantCulture) + long.Parse(fields[second], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
