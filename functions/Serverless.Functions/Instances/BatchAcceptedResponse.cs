namespace Serverless.Functions.Instances;

/// <summary>A batch accepted: its targets and limits as resolved; follow <see cref="OperationUrl"/> for each target's status.</summary>
public sealed record BatchAcceptedResponse(string OperationId, string OperationUrl, IReadOnlyList<string> Targets, int MaxConcurrency, int MaxErrors);
