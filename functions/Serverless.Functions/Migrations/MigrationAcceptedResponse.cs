namespace Serverless.Functions.Migrations;

/// <summary>A migration accepted: follow <see cref="MigrationUrl"/> for its phases, <see cref="OperationUrl"/> for its workflow.</summary>
public sealed record MigrationAcceptedResponse(string MigrationId, string Instance, string MigrationUrl, string OperationUrl);
