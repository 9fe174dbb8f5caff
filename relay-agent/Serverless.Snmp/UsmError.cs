namespace Serverless.Snmp;

/// <summary>Why an SNMPv3 exchange failed, from the agent's report PDU (RFC 3414 usmStats*).</summary>
public enum UsmError
{
    UnsupportedSecurityLevel = 1,
    NotInTimeWindow = 2,
    UnknownUserName = 3,
    UnknownEngineId = 4,
    WrongDigest = 5,
    DecryptionError = 6,
}
