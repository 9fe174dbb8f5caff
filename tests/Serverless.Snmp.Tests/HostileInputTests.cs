using System.Net;

namespace Serverless.Snmp.Tests;

/// <summary>
/// Property test of the decoders on hostile input: mutated valid messages and random bytes must decode or fail with
/// <see cref="SnmpDecodeException"/>, never anything else. (The long fuzzing run belongs to a benchmark job.)
/// </summary>
public sealed class HostileInputTests
{
    [Fact]
    public void Mutated_and_random_datagrams_only_ever_fail_with_the_decoders_own_error()
    {
        var random = new Random(20261125);
        var seeds = Seeds();
        var failures = new List<string>();
        for (var i = 0; i < 200_000 && failures.Count < 5; i++)
        {
            var input = i % 10 == 0 ? RandomBytes(random) : Mutate(seeds[random.Next(seeds.Count)], random);
            try
            {
                CommunityMessage.Decode(input);
            }
            catch (SnmpDecodeException)
            {
            }
            catch (Exception exception)
            {
                failures.Add($"CommunityMessage {Convert.ToHexString(input)}: {exception.GetType().Name} {exception.Message}");
            }

            try
            {
                V3Message.Decode(input, null);
            }
            catch (SnmpDecodeException)
            {
            }
            catch (Exception exception)
            {
                failures.Add($"V3Message {Convert.ToHexString(input)}: {exception.GetType().Name} {exception.Message}");
            }
        }

        Assert.Empty(failures);
    }

    private static List<byte[]> Seeds()
    {
        var bindings = new List<VarBind>
        {
            new(Oid.Parse("1.3.6.1.2.1.1.1.0"), SnmpValue.OctetString("Linux lb-1")),
            new(Oid.Parse("1.3.6.1.2.1.1.3.0"), SnmpValue.TimeTicks(12345)),
            new(Oid.Parse("1.3.6.1.2.1.31.1.1.1.6.2"), SnmpValue.Counter64(1UL << 40)),
            new(Oid.Parse("1.3.6.1.2.1.4.20.1.1.10.0.0.1"), SnmpValue.IpAddress(IPAddress.Parse("10.0.0.1"))),
            new(Oid.Parse("1.3.6.1.2.1.1.2.0"), SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.8072.3.2.10"))),
            new(Oid.Parse("1.3.6.1.2.1.1.9.0"), SnmpValue.NoSuchInstance),
        };
        var engine = new EngineState(Convert.FromHexString("80001F8880C71100000000000000000000"), 3, 1000, Environment.TickCount64);
        var user = new UsmUser("shauser", AuthProtocol.Sha1, "sha-auth-pass");
        var key = Usm.LocalizeKey(AuthProtocol.Sha1, "sha-auth-pass", engine.EngineId);
        return
        [
            new CommunityMessage(SnmpVersion.V2c, "public", new Pdu(PduType.Response, 42, 0, 0, bindings)).Encode(),
            new CommunityMessage(SnmpVersion.V1, "private", Pdu.Set([bindings[0]]) with { RequestId = 7 }).Encode(),
            V3Message.Encode(9, user, engine, key, null, 1, string.Empty, new Pdu(PduType.Response, 43, 0, 0, bindings)),
        ];
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed.ToList();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            switch (random.Next(4))
            {
                case 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 1 when bytes.Count > 1:
                    bytes.RemoveRange(random.Next(bytes.Count), 1);
                    break;
                case 2:
                    bytes.Insert(random.Next(bytes.Count), (byte)random.Next(256));
                    break;
                default:
                    bytes = bytes.Take(random.Next(bytes.Count + 1)).ToList();
                    break;
            }

            if (bytes.Count == 0)
            {
                bytes.Add(0x30);
            }
        }

        return [.. bytes];
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        if (bytes.Length > 0 && random.Next(2) == 0)
        {
            bytes[0] = 0x30;
        }

        return bytes;
    }
}
