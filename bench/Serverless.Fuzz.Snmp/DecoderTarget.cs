using Serverless.Snmp;

namespace Serverless.Fuzz.Snmp;

/// <summary>
/// What every received datagram goes through in the client: the v3 peek, the community decoder and the v3 decoder with
/// and without a privacy key. Their own typed errors are expected; any other exception, or allocating far more than the
/// input could justify, is a finding.
/// </summary>
internal static class DecoderTarget
{
    private const long AllocationAllowance = 256 * 1024;
    private static readonly byte[] PrivKey = Convert.FromHexString("8982E0E549E866DB361A6B625D84CCCC");

    public static void Run(byte[] input)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        Expect(() => V3Message.PeekMessageId(input));
        Expect(() => CommunityMessage.Decode(input));
        Expect(() => V3Message.Decode(input, null));
        Expect(() => V3Message.Decode(input, PrivKey));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > AllocationAllowance + 64L * input.Length)
        {
            throw new InvalidOperationException($"Decoding {input.Length} bytes allocated {allocated} bytes.");
        }
    }

    private static void Expect(Action decode)
    {
        try
        {
            decode();
        }
        catch (SnmpDecodeException)
        {
        }
        catch (SnmpUsmDecryptException)
        {
        }
    }
}
