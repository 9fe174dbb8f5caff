namespace Serverless.Contracts.Snmp;

/// <summary>
/// One variable binding as text. <see cref="Type"/> is one of <c>integer</c>, <c>string</c>, <c>hex</c> (an octet
/// string that is not printable text, as hex digits), <c>oid</c>, <c>ipAddress</c>, <c>counter32</c>, <c>gauge32</c>,
/// <c>timeTicks</c> (hundredths of a second), <c>opaque</c> (hex), <c>counter64</c>, <c>null</c>, and in answers also
/// <c>noSuchObject</c>, <c>noSuchInstance</c> and <c>endOfMibView</c>. Sets also accept net-snmp's type letters
/// (<c>i u s x o a t c C</c>).
/// </summary>
/// <param name="Oid">Numeric OID without a leading dot, for example <c>1.3.6.1.2.1.1.5.0</c>.</param>
/// <param name="Type">The value's type, as above.</param>
/// <param name="Value">The value as text; empty for <c>null</c> and the exception types.</param>
public sealed record SnmpBinding(string Oid, string Type, string Value);
