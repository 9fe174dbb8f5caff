namespace Serverless.Functions.Commands;

/// <summary>Which command's recorded result to read.</summary>
public sealed record CommandResultQuery(string TenantId, string CommandId);
