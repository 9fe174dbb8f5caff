namespace Serverless.Snmp.Tests;

/// <summary>
/// Inputs that broke, or were written to break, the decoders: hand-made hostile encodings and every crash that
/// scripts/fuzz-snmp.sh found (it copies them into FuzzRegressions). Each must end in the decoders' own typed errors,
/// allocating no more than the fuzz target allows.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static readonly byte[] PrivKey = Convert.FromHexString("8982E0E549E866DB361A6B625D84CCCC");

    public static TheoryData<string> Inputs()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "FuzzRegressions");
        var files = Directory.GetFiles(folder, "*.bin").Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        return [.. files];
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Decoders_FailTypedAndBounded_OnKeptInput(string file)
    {
        var input = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "FuzzRegressions", file));
        var before = GC.GetAllocatedBytesForCurrentThread();

        Typed(() => V3Message.PeekMessageId(input));
        Typed(() => CommunityMessage.Decode(input));
        Typed(() => V3Message.Decode(input, null));
        Typed(() => V3Message.Decode(input, PrivKey));

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 256 * 1024 + (64L * input.Length));
    }

    private static void Typed(Action decode)
    {
        var exception = Record.Exception(decode);
        Assert.True(exception is null or SnmpDecodeException or SnmpUsmDecryptException, exception?.ToString());
    }
}
