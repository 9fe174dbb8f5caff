namespace Serverless.Functions.Migrations;

/// <summary>Migrations, newest first.</summary>
public sealed record MigrationListResponse(IReadOnlyList<MigrationResponse> Items);
