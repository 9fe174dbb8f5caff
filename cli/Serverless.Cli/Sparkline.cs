namespace Serverless.Cli;

/// <summary>A series as a line of block characters, scaled between the lowest and highest of the values and the given marks.</summary>
public static class Sparkline
{
    private const string Blocks = "▁▂▃▄▅▆▇█";

    /// <summary>
    /// The last <paramref name="width"/> values, each as one of eight heights; <paramref name="marks"/> (thresholds) widen
    /// the scale so that a flat line under a threshold is drawn low, not in the middle.
    /// </summary>
    public static string Render(IReadOnlyList<double> values, int width, params double[] marks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (values.Count == 0)
        {
            return string.Empty;
        }

        var shown = values.Skip(Math.Max(0, values.Count - width)).ToList();
        var low = Math.Min(shown.Min(), marks.Length > 0 ? marks.Min() : double.MaxValue);
        var high = Math.Max(shown.Max(), marks.Length > 0 ? marks.Max() : double.MinValue);
        var span = high - low;
        return string.Concat(shown.Select(v => Blocks[span <= 0 ? 0 : (int)Math.Round((v - low) / span * (Blocks.Length - 1))]));
    }
}
