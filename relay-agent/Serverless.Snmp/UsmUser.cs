using System.Text;

namespace Serverless.Snmp;

/// <summary>An SNMPv3 user: noAuthNoPriv, authNoPriv or authPriv, depending on which protocols are set.</summary>
public sealed record UsmUser(string Name, AuthProtocol Auth = AuthProtocol.None, string? AuthPassword = null, PrivProtocol Priv = PrivProtocol.None, string? PrivPassword = null)
{
    internal byte Flags => (byte)((Auth != AuthProtocol.None ? 1 : 0) | (Priv != PrivProtocol.None ? 2 : 0));

    /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong with the user, before anything is sent.</summary>
    public void Validate()
    {
        if (Encoding.UTF8.GetByteCount(Name) is 0 or > 32)
        {
            throw new ArgumentException("A USM user name is 1 to 32 bytes.", nameof(Name));
        }

        if (Auth != AuthProtocol.None && (AuthPassword is null || AuthPassword.Length < 8))
        {
            throw new ArgumentException("An authentication password of at least 8 characters is required (RFC 3414).", nameof(AuthPassword));
        }

        if (Priv != PrivProtocol.None && (Auth == AuthProtocol.None || PrivPassword is null || PrivPassword.Length < 8))
        {
            throw new ArgumentException("Privacy needs authentication and a privacy password of at least 8 characters.", nameof(PrivPassword));
        }
    }
}
