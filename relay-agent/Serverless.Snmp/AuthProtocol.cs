namespace Serverless.Snmp;

/// <summary>USM authentication protocols: HMAC-SHA-1-96 (RFC 3414) and HMAC-SHA-256-192 (RFC 7860).</summary>
public enum AuthProtocol
{
    None,
    Sha1,
    Sha256,
}
