using System.Text.Json.Serialization;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Migrations;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Stacks;

namespace Serverless.Functions.Storage;

/// <summary>JSON for list and map columns stored in tables.</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyList<PoolMember>))]
[JsonSerializable(typeof(PoolPolicy))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, DateTimeOffset>))]
[JsonSerializable(typeof(IReadOnlyList<MemberChange>))]
[JsonSerializable(typeof(ManagedInstance))]
[JsonSerializable(typeof(IReadOnlyList<InstanceAllocation>))]
[JsonSerializable(typeof(StackRecord))]
[JsonSerializable(typeof(StackItem))]
[JsonSerializable(typeof(StackPlan))]
[JsonSerializable(typeof(MigrationRecord))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
