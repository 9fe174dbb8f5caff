namespace Serverless.Functions.Migrations;

/// <summary>What a migration moves: the saved state's size, the disk file's (when it moved) and the bytes sent and read so far.</summary>
public sealed record MigrationBytesResponse(long? State, long? Disk, long Moved);
