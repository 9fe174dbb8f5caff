namespace Serverless.Snmp;

/// <summary>SNMP versions on the wire.</summary>
public enum SnmpVersion
{
    V1 = 0,
    V2c = 1,
    V3 = 3,
}
