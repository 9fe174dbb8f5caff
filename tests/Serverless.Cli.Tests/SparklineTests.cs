
namespace Serverless.Cli.Tests;

public sealed class SparklineTests
{
    [Fact]
    public void Render_ScalesBetweenTheLowestAndHighest() => Assert.Equal("▁▅█", Sparkline.Render([0, 5, 10], 10));

    [Fact]
    public void Render_ThresholdsWidenTheScale_SoAFlatLowLineIsDrawnLow() => Assert.Equal("▁▁▁", Sparkline.Render([10, 10, 10], 10, 100, 10));

    [Fact]
    public void Render_KeepsTheLastValuesThatFit() => Assert.Equal("▁█", Sparkline.Render([99, 0, 1], 2));

    [Fact]
    public void Render_NoValues_IsEmpty() => Assert.Equal(string.Empty, Sparkline.Render([], 5));
}
