namespace Serverless.Contracts.Migrations;

/// <summary>Output of <c>instance.upload</c>: what the blob holds now and what this delivery sent.</summary>
/// <param name="Artifact">What was sent.</param>
/// <param name="Bytes">The file's size.</param>
/// <param name="Sha256">The whole file's SHA-256 (hex), also in the blob's metadata.</param>
/// <param name="Blocks">Blocks in the blob.</param>
/// <param name="BlocksSent">Blocks this delivery sent.</param>
/// <param name="BlocksKept">Blocks an earlier delivery had sent that were kept.</param>
/// <param name="Seconds">How long it took.</param>
public sealed record TransferOutput(TransferArtifact Artifact, long Bytes, string Sha256, int Blocks, int BlocksSent, int BlocksKept, double Seconds);
