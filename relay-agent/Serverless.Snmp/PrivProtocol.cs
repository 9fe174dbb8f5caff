namespace Serverless.Snmp;

/// <summary>USM privacy protocols: AES-128 in CFB mode (RFC 3826).</summary>
public enum PrivProtocol
{
    None,
    Aes128,
}
