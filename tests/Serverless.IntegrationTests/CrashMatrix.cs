using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Xunit.Abstractions;

namespace Serverless.IntegrationTests;

/// <summary>
/// Which of a crash matrix's kill points a run crashes at. Every one of them with <c>CRASH_MATRIX=full</c> (what
/// <c>scripts/crash-matrix.sh</c> sets); otherwise <see cref="SampledPoints"/> of each matrix (<c>CRASH_POINTS</c> to
/// change it), chosen by a seed: <c>CRASH_SEED</c>, or when unset the day (UTC), so the runs of one day crash at the
/// same points and successive days at others. A fixed number, not a share, keeps the test command's time the same
/// as matrices grow. The test's output names the seed and the points, so a failure is repeated with <c>CRASH_SEED=…</c>.
/// </summary>
internal static class CrashMatrix
{
    public const int SampledPoints = 3;

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
        var count = Environment.GetEnvironmentVariable("CRASH_POINTS") is { Length: > 0 } asked
            ? int.TryParse(asked, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                ? parsed
                : throw new InvalidOperationException($"CRASH_POINTS must be a positive whole number, not '{asked}'.")
            : SampledPoints;

        // Ranked by a hash of the seed and each point's own name, so a step added to a workflow moves the others' ranks
        // by at most one; crashed in the order the workflow reaches them.
        var ranked = points.Select((p, i) => (Point: p, Index: i, Rank: Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{p}")))));
        var chosen = ranked.OrderBy(r => r.Rank, StringComparer.Ordinal).Take(count).OrderBy(r => r.Index).Select(r => r.Point).ToList();

        output.WriteLine($"crash matrix: {chosen.Count} of {points.Count} kill points with CRASH_SEED={seed} (CRASH_MATRIX=full for all): {string.Join(", ", chosen)}");
        return chosen;
    }
}
