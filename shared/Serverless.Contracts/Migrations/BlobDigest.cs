namespace Serverless.Contracts.Migrations;

/// <summary>A blob a migration wrote: its size and SHA-256, which the target checks after downloading it.</summary>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">SHA-256 of the whole content (hex).</param>
public sealed record BlobDigest(long Bytes, string Sha256);
