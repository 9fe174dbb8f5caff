namespace Serverless.Snmp;

/// <summary>The agent refused an SNMPv3 request at the security layer; <see cref="Error"/> says how.</summary>
public sealed class SnmpUsmException(UsmError error, string user, System.Net.IPEndPoint target)
    : Exception(error switch
    {
        UsmError.UnknownUserName => $"{target} does not know the user '{user}'.",
        UsmError.WrongDigest => $"{target} rejected the authentication of '{user}': wrong authentication password or protocol.",
        UsmError.DecryptionError => $"{target} could not decrypt the request of '{user}': wrong privacy password or protocol.",
        UsmError.UnsupportedSecurityLevel => $"{target} does not allow '{user}' this security level.",
        UsmError.NotInTimeWindow => $"{target} kept answering notInTimeWindow for '{user}' after re-synchronisation.",
        _ => $"{target} does not recognise the engine id used for '{user}'.",
    })
{
    public UsmError Error { get; } = error;
}
