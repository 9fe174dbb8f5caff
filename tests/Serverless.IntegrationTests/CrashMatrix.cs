using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Xunit.Abstractions;

namespace Serverless.IntegrationTests;

/// <summary>
/// Which of a crash matrix's kill points a run crashes at. Every one of them with <c>CRASH_MATRIX=full</c> (what
/// <c>scripts/crash-matrix.sh</c> sets); otherwise about a third, chosen by a seed: <c>CRASH_SEED</c>, or when unset the
/// day (UTC), so the runs of one day crash at the same points and successive days at others. The test's output names
/// the seed and the points, so a failure is repeated with <c>CRASH_SEED=…</c>.
/// </summary>
internal static class CrashMatrix
{
    public static IReadOnlyList<KillPoint> Select(IReadOnlyList<KillPoint> points, ITestOutputHelper output)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CRASH_MATRIX"), "full", StringComparison.OrdinalIgnoreCase))
        {
            output.WriteLine($"crash matrix: all {points.Count} kill points (CRASH_MATRIX=full): {string.Join(", ", points)}");
            return points;
        }

        var seed = Environment.GetEnvironmentVariable("CRASH_SEED") is { Length: > 0 } given
            ? given
            : ((int)(DateTime.UtcNow - DateTime.UnixEpoch).TotalDays).ToString(CultureInfo.InvariantCulture);

        // Each point's fate depends on the seed and its own name only, so adding a step to a workflow leaves the others' as they were.
        var chosen = points.Where(p => SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{p}"))[0] % 3 == 0).ToList();
        if (chosen.Count == 0 && points.Count > 0)
        {
            chosen.Add(points[0]);
        }

        output.WriteLine($"crash matrix: {chosen.Count} of {points.Count} kill points with CRASH_SEED={seed} (CRASH_MATRIX=full for all): {string.Join(", ", chosen)}");
        return chosen;
    }
}
