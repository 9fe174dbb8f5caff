using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Serverless.Contracts;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Zones;
using Serverless.Functions.Http;

namespace Serverless.Functions.Tests;

/// <summary>
/// Every HTTP request and response body has source-generated JSON metadata: a body type missing from the API's JSON
/// context would otherwise surface only as a 500 when the route is first called.
/// </summary>
public sealed class ApiJsonTests
{
    /// <summary>Both JSON contracts' metadata: the API's bodies and the agent's commands and results.</summary>
    private static readonly JsonSerializerOptions Metadata = new(ApiJson.Options)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(ApiJson.Options.TypeInfoResolver, ContractsJsonContext.Default),
    };

    public static TheoryData<string> BodyTypes() => [.. BodyTypeList().Select(t => t.FullName!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(BodyTypes))]
    public void BodyType_HasSourceGeneratedMetadata(string typeName)
    {
        var type = Type(typeName);

        Assert.NotNull(ApiJson.Options.TypeInfoResolverChain[0].GetTypeInfo(type, ApiJson.Options));
    }

    [Fact]
    public void BodyTypes_AreFound() => Assert.True(BodyTypes().Count >= 15);

    /// <summary>Every enum a body or a command can hold, found through the JSON contracts' own metadata.</summary>
    public static TheoryData<string> ContractEnums()
    {
        var enums = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<Type>();
        foreach (var type in BodyTypeList().Concat(ContractTypes()))
        {
            CollectEnums(type, seen, enums);
        }

        return [.. enums];
    }

    [Theory]
    [MemberData(nameof(ContractEnums))]
    public void ContractEnum_ReadsAndWritesCamelCaseStrings_AndRefusesNumbers(string enumName)
    {
        var type = EnumType(enumName);
        // Wire enums also travel between the cloud and the agent in the contracts' own context.
        JsonSerializerOptions[] contexts = type.Assembly == typeof(ContractsJsonContext).Assembly ? [Metadata, ContractsJsonContext.Default.Options] : [Metadata];
        foreach (var options in contexts)
        {
            foreach (var value in Enum.GetValues(type))
            {
                var written = JsonSerializer.Serialize(value, type, options);
                Assert.StartsWith("\"", written, StringComparison.Ordinal);
                Assert.True(char.IsLower(written[1]), $"{type.Name}.{value} is written as {written}");
                Assert.Equal(value, JsonSerializer.Deserialize(written, type, options));
            }

            foreach (var number in new[] { "0", "1", "\"1\"", "\"0\"" })
            {
                Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(number, type, options));
            }
        }
    }

    [Fact]
    public void ContractEnums_AreFound() => Assert.True(ContractEnums().Count >= 12, $"only {ContractEnums().Count} enums found");

    private static IEnumerable<Type> BodyTypeList()
    {
        var requests = typeof(CreateZoneRequest).Assembly.GetExportedTypes()
            .Where(t => t.Name.EndsWith("Request", StringComparison.Ordinal) && t != typeof(CommandRequest));
        var responses = typeof(AppServiceCollectionExtensions).Assembly.GetExportedTypes()
            .Where(t => t.Name.EndsWith("Response", StringComparison.Ordinal));
        return requests.Concat(responses);
    }

    private static Type Type(string name) =>
        typeof(CreateZoneRequest).Assembly.GetType(name) ?? typeof(AppServiceCollectionExtensions).Assembly.GetType(name)!;

    private static Type EnumType(string name) =>
        new[] { typeof(CreateZoneRequest).Assembly, typeof(ContractsJsonContext).Assembly, typeof(AppServiceCollectionExtensions).Assembly }.Select(a => a.GetType(name)).First(t => t is not null)!;

    private static IEnumerable<Type> ContractTypes() =>
        typeof(ContractsJsonContext).GetProperties()
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(JsonTypeInfo<>))
            .Select(p => p.PropertyType.GetGenericArguments()[0]);

    private static void CollectEnums(Type type, HashSet<Type> seen, SortedSet<string> enums)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (!seen.Add(type))
        {
            return;
        }

        if (type.IsEnum)
        {
            enums.Add(type.FullName!);
            return;
        }

        var info = Metadata.GetTypeInfo(type);
        foreach (var property in info.Properties)
        {
            CollectEnums(property.PropertyType, seen, enums);
        }

        if (info.ElementType is { } element)
        {
            CollectEnums(element, seen, enums);
        }

        if (info.KeyType is { } key)
        {
            CollectEnums(key, seen, enums);
        }
    }
}
