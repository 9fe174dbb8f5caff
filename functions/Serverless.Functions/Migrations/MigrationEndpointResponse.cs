namespace Serverless.Functions.Migrations;

/// <summary>One end of a migration.</summary>
public sealed record MigrationEndpointResponse(string Zone, string Host);
