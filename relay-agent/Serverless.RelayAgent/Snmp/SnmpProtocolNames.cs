using Serverless.Snmp;

namespace Serverless.RelayAgent.Snmp;

/// <summary>The protocol names operators write, as net-snmp spells them, in configuration and on the command line.</summary>
public static class SnmpProtocolNames
{
    public static AuthProtocol Auth(string name) => name.ToUpperInvariant() switch
    {
        "SHA" or "SHA1" or "SHA-1" => AuthProtocol.Sha1,
        "SHA-256" or "SHA256" => AuthProtocol.Sha256,
        _ => throw new FormatException($"'{name}' is not an authentication protocol: use SHA or SHA-256."),
    };

    public static PrivProtocol Priv(string name) => name.ToUpperInvariant() switch
    {
        "AES" or "AES128" or "AES-128" => PrivProtocol.Aes128,
        _ => throw new FormatException($"'{name}' is not a privacy protocol: use AES."),
    };
}
