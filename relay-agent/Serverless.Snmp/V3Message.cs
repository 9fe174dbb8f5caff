using System.Security.Cryptography;
using System.Text;

namespace Serverless.Snmp;

/// <summary>The authoritative engine's identity and clock, as learned by discovery and reports.</summary>
internal sealed record EngineState(byte[] EngineId, int Boots, int Time, long SyncedAtTicks)
{
    public int EstimatedTime => (int)Math.Min(int.MaxValue, Time + (Environment.TickCount64 - SyncedAtTicks) / 1000);
}

/// <summary>A decoded SNMPv3 message: header, USM parameters, and the scoped PDU (decrypted when it was encrypted).</summary>
internal sealed record V3Message(int MessageId, byte Flags, byte[] EngineId, int Boots, int Time, string UserName, byte[] AuthParameters, byte[] PrivParameters, byte[]? EncryptedPdu, byte[] ContextEngineId, Pdu? Pdu)
{
    public const byte Reportable = 4;
    public static readonly Oid UsmStats = Oid.Parse("1.3.6.1.6.3.15.1.1");

    /// <summary>Encodes a request; with authentication, the digest is computed over the message with zeroed parameters.</summary>
    public static byte[] Encode(int messageId, UsmUser user, EngineState engine, byte[]? authKey, byte[]? privKey, long saltCounter, string contextName, Pdu pdu)
    {
        var flags = (byte)(user.Flags | Reportable);
        var digestLength = Usm.DigestLength(user.Auth);
        var placeholder = digestLength > 0 ? RandomNumberGenerator.GetBytes(digestLength) : [];
        var salt = user.Priv != PrivProtocol.None ? BitConverter.GetBytes(saltCounter) : [];

        var scoped = new BerWriter();
        scoped.Push(0x30);
        scoped.WriteValue((byte)SnmpType.OctetString, engine.EngineId);
        scoped.WriteValue((byte)SnmpType.OctetString, Encoding.UTF8.GetBytes(contextName));
        pdu.Write(scoped);
        scoped.Pop();

        var security = new BerWriter();
        security.Push(0x30);
        security.WriteValue((byte)SnmpType.OctetString, engine.EngineId);
        security.WriteInteger((byte)SnmpType.Integer32, engine.Boots);
        security.WriteInteger((byte)SnmpType.Integer32, engine.EstimatedTime);
        security.WriteValue((byte)SnmpType.OctetString, Encoding.UTF8.GetBytes(user.Name));
        security.WriteValue((byte)SnmpType.OctetString, placeholder);
        security.WriteValue((byte)SnmpType.OctetString, salt);
        security.Pop();

        var message = new BerWriter();
        message.Push(0x30);
        message.WriteInteger((byte)SnmpType.Integer32, (int)SnmpVersion.V3);
        message.Push(0x30);
        message.WriteInteger((byte)SnmpType.Integer32, messageId);
        message.WriteInteger((byte)SnmpType.Integer32, 65507);
        message.WriteValue((byte)SnmpType.OctetString, [flags]);
        message.WriteInteger((byte)SnmpType.Integer32, 3);
        message.Pop();
        message.WriteValue((byte)SnmpType.OctetString, security.Written);
        if (user.Priv != PrivProtocol.None)
        {
            message.WriteValue((byte)SnmpType.OctetString, Usm.Encrypt(privKey!, engine.Boots, engine.EstimatedTime, salt, scoped.Written));
        }
        else
        {
            message.WriteRaw(scoped.Written);
        }

        message.Pop();
        var bytes = message.Written.ToArray();
        if (digestLength > 0)
        {
            var at = bytes.AsSpan().IndexOf(placeholder);
            bytes.AsSpan(at, digestLength).Clear();
            Usm.Digest(user.Auth, authKey!, bytes).CopyTo(bytes.AsSpan(at));
        }

        return bytes;
    }

    /// <summary>The message id of a v3 datagram, or null when it is not one.</summary>
    public static int? PeekMessageId(ReadOnlySpan<byte> datagram)
    {
        var outer = new BerReader(datagram);
        var message = outer.ReadConstructed(0x30, "message");
        if (message.ReadInteger("version") != (int)SnmpVersion.V3)
        {
            return null;
        }

        var header = message.ReadConstructed(0x30, "msgGlobalData");
        return BerReader.DecodeInt32(header.ReadTagged((byte)SnmpType.Integer32, "msgID"), "msgID");
    }

    /// <summary>Decodes a message; <paramref name="privKey"/> decrypts an encrypted scoped PDU (left encrypted without it).</summary>
    public static V3Message Decode(ReadOnlySpan<byte> datagram, byte[]? privKey)
    {
        var outer = new BerReader(datagram);
        var message = outer.ReadConstructed(0x30, "message");
        if (message.ReadInteger("version") != (int)SnmpVersion.V3)
        {
            throw new SnmpDecodeException("version: not SNMPv3");
        }

        var header = message.ReadConstructed(0x30, "msgGlobalData");
        var messageId = BerReader.DecodeInt32(header.ReadTagged((byte)SnmpType.Integer32, "msgID"), "msgID");
        header.ReadInteger("msgMaxSize");
        var flagBytes = header.ReadTagged((byte)SnmpType.OctetString, "msgFlags");
        var flags = flagBytes.Length == 1 ? flagBytes[0] : throw new SnmpDecodeException("msgFlags: not one byte");
        if (header.ReadInteger("msgSecurityModel") != 3)
        {
            throw new SnmpDecodeException("msgSecurityModel: not USM");
        }

        var securityBytes = message.ReadTagged((byte)SnmpType.OctetString, "msgSecurityParameters");
        var securityReader = new BerReader(securityBytes);
        var security = securityReader.ReadConstructed(0x30, "UsmSecurityParameters");
        var engineId = security.ReadTagged((byte)SnmpType.OctetString, "msgAuthoritativeEngineID").ToArray();
        var boots = BerReader.DecodeInt32(security.ReadTagged((byte)SnmpType.Integer32, "msgAuthoritativeEngineBoots"), "boots");
        var time = BerReader.DecodeInt32(security.ReadTagged((byte)SnmpType.Integer32, "msgAuthoritativeEngineTime"), "time");
        var userName = Encoding.UTF8.GetString(security.ReadTagged((byte)SnmpType.OctetString, "msgUserName"));
        var authParameters = security.ReadTagged((byte)SnmpType.OctetString, "msgAuthenticationParameters").ToArray();
        var privParameters = security.ReadTagged((byte)SnmpType.OctetString, "msgPrivacyParameters").ToArray();

        byte[]? encrypted = null;
        byte[] scopedBytes;
        if ((flags & 2) != 0)
        {
            encrypted = message.ReadTagged((byte)SnmpType.OctetString, "encryptedPDU").ToArray();
            if (privKey is null)
            {
                return new V3Message(messageId, flags, engineId, boots, time, userName, authParameters, privParameters, encrypted, [], null);
            }

            scopedBytes = Usm.Decrypt(privKey, boots, time, privParameters, encrypted);
        }
        else
        {
            scopedBytes = message.ReadEncoded("ScopedPDU").ToArray();
        }

        try
        {
            var scopedReader = new BerReader(scopedBytes);
            var scoped = scopedReader.ReadConstructed(0x30, "ScopedPDU");
            var contextEngineId = scoped.ReadTagged((byte)SnmpType.OctetString, "contextEngineID").ToArray();
            scoped.ReadTagged((byte)SnmpType.OctetString, "contextName");
            return new V3Message(messageId, flags, engineId, boots, time, userName, authParameters, privParameters, encrypted, contextEngineId, Pdu.Read(ref scoped));
        }
        catch (SnmpDecodeException) when (encrypted is not null)
        {
            throw new SnmpUsmDecryptException();
        }
    }

    /// <summary>Checks the digest of a received authenticated message.</summary>
    public static bool IsAuthentic(ReadOnlySpan<byte> datagram, V3Message message, AuthProtocol protocol, byte[] authKey)
    {
        if ((message.Flags & 1) == 0 || message.AuthParameters.Length != Usm.DigestLength(protocol))
        {
            return false;
        }

        var copy = datagram.ToArray();
        var at = copy.AsSpan().IndexOf(message.AuthParameters);
        copy.AsSpan(at, message.AuthParameters.Length).Clear();
        return CryptographicOperations.FixedTimeEquals(Usm.Digest(protocol, authKey, copy), message.AuthParameters);
    }
}

/// <summary>A response could not be decrypted with the user's privacy key.</summary>
internal sealed class SnmpUsmDecryptException() : Exception("The response could not be decrypted.");
