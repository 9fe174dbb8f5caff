using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace Serverless.Functions.Storage;

/// <summary>Hands out table clients, creating each table once per process on first use.</summary>
public sealed class TableProvider(TableServiceClient service)
{
    public const string Zones = "Zones";
    public const string Resources = "Resources";
    public const string Commands = "Commands";
    public const string CommandResults = "CommandResults";
    public const string AgentCredentials = "AgentCredentials";
    public const string AgentHeartbeats = "AgentHeartbeats";
    public const string Metrics = "Metrics";
    public const string Enrolments = "Enrolments";
    public const string AgentGroups = "AgentGroups";
    public const string TenantKeys = "TenantKeys";
    public const string Instances = "Instances";
    public const string ComputeInstances = "ComputeInstances";
    public const string HostAllocations = "HostAllocations";
    public const string Pools = "Pools";
    public const string PoolMembers = "PoolMembers";
    public const string PoolStates = "PoolStates";
    public const string PoolRuntime = "PoolRuntime";
    public const string PoolEvents = "PoolEvents";
    public const string Stacks = "Stacks";
    public const string StackJournal = "StackJournal";
    public const string StackPlans = "StackPlans";
    public const string Migrations = "Migrations";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    public TableServiceClient Service => service;

    public async Task<TableClient> GetAsync(string tableName, CancellationToken cancellationToken)
    {
        var lazy = _tables.GetOrAdd(tableName, name => new Lazy<Task<TableClient>>(() => CreateAsync(name)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            // Forget the failed attempt so the next call tries again instead of failing forever.
            _tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(tableName, lazy));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string tableName)
    {
        var table = service.GetTableClient(tableName);
        await table.CreateIfNotExistsAsync(CancellationToken.None);
        return table;
    }
}
