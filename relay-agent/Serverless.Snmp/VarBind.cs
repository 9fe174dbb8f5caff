namespace Serverless.Snmp;

/// <summary>A variable binding: an OID and its value.</summary>
public sealed record VarBind(Oid Oid, SnmpValue Value)
{
    /// <summary>A binding for a request that only names the OID (value NULL).</summary>
    public static VarBind Request(Oid oid) => new(oid, SnmpValue.Null);

    public override string ToString() => $"{Oid} = {Value}";
}
