using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Serverless.Snmp;

/// <summary>Key localization, message authentication and AES privacy of the User-based Security Model.</summary>
internal static class Usm
{
    public static int DigestLength(AuthProtocol protocol) => protocol switch
    {
        AuthProtocol.Sha1 => 12,
        AuthProtocol.Sha256 => 24,
        _ => 0,
    };

    /// <summary>RFC 3414 A.2: hash a megabyte of the repeated password, then localize with the engine id.</summary>
    public static byte[] LocalizeKey(AuthProtocol protocol, string password, ReadOnlySpan<byte> engineId)
    {
        using var hash = IncrementalHash.CreateHash(protocol == AuthProtocol.Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        var block = new byte[64];
        var index = 0;
        for (var count = 0; count < 1_048_576; count += 64)
        {
            for (var i = 0; i < 64; i++)
            {
                block[i] = passwordBytes[index++ % passwordBytes.Length];
            }

            hash.AppendData(block);
        }

        var ku = hash.GetHashAndReset();
        hash.AppendData(ku);
        hash.AppendData(engineId);
        hash.AppendData(ku);
        return hash.GetHashAndReset();
    }

    public static byte[] Digest(AuthProtocol protocol, byte[] key, ReadOnlySpan<byte> message)
    {
        var full = protocol == AuthProtocol.Sha256 ? HMACSHA256.HashData(key, message) : HMACSHA1.HashData(key, message);
        return full[..DigestLength(protocol)];
    }

    /// <summary>AES-128-CFB over the scoped PDU with IV = boots ‖ time ‖ salt (RFC 3826 3.1.2.1).</summary>
    public static byte[] Encrypt(byte[] privKey, int boots, int time, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> plaintext) =>
        Cfb(privKey, boots, time, salt, plaintext, encrypt: true);

    public static byte[] Decrypt(byte[] privKey, int boots, int time, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ciphertext) =>
        Cfb(privKey, boots, time, salt, ciphertext, encrypt: false);

    private static byte[] Cfb(byte[] privKey, int boots, int time, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> input, bool encrypt)
    {
        if (salt.Length != 8)
        {
            throw new SnmpDecodeException($"privacy parameters: AES needs an 8-byte salt, got {salt.Length}");
        }

        Span<byte> iv = stackalloc byte[16];
        BinaryPrimitives.WriteInt32BigEndian(iv, boots);
        BinaryPrimitives.WriteInt32BigEndian(iv[4..], time);
        salt.CopyTo(iv[8..]);
        using var aes = Aes.Create();
        aes.Key = privKey[..16];

        // CFB-128 is a stream mode: pad to whole blocks for the API, then cut back to the input's length.
        var padded = new byte[(input.Length + 15) / 16 * 16];
        input.CopyTo(padded);
        var output = encrypt
            ? aes.EncryptCfb(padded, iv, PaddingMode.None, 128)
            : aes.DecryptCfb(padded, iv, PaddingMode.None, 128);
        return output[..input.Length];
    }
}
