using System.Net;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Snmp;

/// <summary>
/// One named SNMP credential (<c>RelayAgent:Snmp:Credentials:NAME</c>). Commands name it; the community and passwords
/// stay on the agent host, set by environment, a protected config file or systemd credentials, and are never logged.
/// </summary>
public sealed class SnmpCredentialOptions
{
    /// <summary><c>1</c>, <c>2c</c> or <c>3</c>.</summary>
    public string Version { get; set; } = "2c";

    /// <summary>The community of SNMPv1 and v2c (a secret).</summary>
    public string? Community { get; set; }

    /// <summary>The SNMPv3 user name.</summary>
    public string? User { get; set; }

    /// <summary><c>SHA</c> or <c>SHA-256</c>; none for noAuthNoPriv.</summary>
    public string? AuthProtocol { get; set; }

    /// <summary>The SNMPv3 authentication password (a secret).</summary>
    public string? AuthPassword { get; set; }

    /// <summary><c>AES</c>; none for authNoPriv.</summary>
    public string? PrivProtocol { get; set; }

    /// <summary>The SNMPv3 privacy password (a secret).</summary>
    public string? PrivPassword { get; set; }

    /// <summary>The SNMPv3 context; empty by default.</summary>
    public string? ContextName { get; set; }

    /// <summary>The target for an address with this credential; a <see cref="FormatException"/> names what is wrong, never a secret.</summary>
    public SnmpTarget ToTarget(IPEndPoint endPoint)
    {
        switch (Version)
        {
            case "1" or "2c":
                return string.IsNullOrEmpty(Community)
                    ? throw new FormatException("Community is required for version 1 and 2c.")
                    : new CommunityTarget(endPoint, Community, Version == "1" ? SnmpVersion.V1 : SnmpVersion.V2c);
            case "3":
                if (string.IsNullOrEmpty(User))
                {
                    throw new FormatException("User is required for version 3.");
                }

                var auth = string.IsNullOrEmpty(AuthProtocol) ? Serverless.Snmp.AuthProtocol.None : SnmpProtocolNames.Auth(AuthProtocol);
                var priv = string.IsNullOrEmpty(PrivProtocol) ? Serverless.Snmp.PrivProtocol.None : SnmpProtocolNames.Priv(PrivProtocol);
                var user = new UsmUser(User, auth, AuthPassword, priv, PrivPassword);
                try
                {
                    user.Validate();
                }
                catch (ArgumentException exception)
                {
                    throw new FormatException(exception.Message.Split(" (Parameter", 2)[0]);
                }

                return new UsmTarget(endPoint, user, ContextName ?? string.Empty);
            default:
                throw new FormatException($"Version '{Version}' is not 1, 2c or 3.");
        }
    }
}
