namespace Serverless.ControlPlane.Operations;

/// <summary>
/// Maps the operation ids the API shows to durable instance ids. The tenant is part of the instance id, so a
/// tenant asking for another tenant's operation computes an instance id that does not exist and gets 404.
/// </summary>
public static class OperationIds
{
    public static string NewOperationId() => Guid.NewGuid().ToString("N");

    public static string ToInstanceId(string tenantId, string operationId) => $"{tenantId}.{operationId}";

    /// <summary>The operation id inside an instance id made by <see cref="ToInstanceId"/>.</summary>
    public static string FromInstanceId(string instanceId) => instanceId[(instanceId.LastIndexOf('.') + 1)..];

    /// <summary>Operation ids are 32 lowercase hex digits; anything else cannot name an operation.</summary>
    public static bool IsWellFormed(string operationId) =>
        operationId.Length == 32 && operationId.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));
}
