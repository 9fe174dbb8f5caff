namespace Serverless.Functions.Pools;

public sealed record PoolPartition(int Index, int Count);
