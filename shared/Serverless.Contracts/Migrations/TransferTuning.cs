namespace Serverless.Contracts.Migrations;

/// <summary>How a transfer uses Blob Storage: the block size and how many blocks travel at once.</summary>
/// <param name="BlockSizeBytes">Bytes per block (a block blob holds at most 50,000 blocks).</param>
/// <param name="Concurrency">Blocks in flight at once.</param>
public sealed record TransferTuning(int BlockSizeBytes, int Concurrency);
