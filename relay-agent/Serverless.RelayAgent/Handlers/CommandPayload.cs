using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Serverless.Contracts;
using Serverless.Contracts.Commands;

namespace Serverless.RelayAgent.Handlers;

/// <summary>Reads a command's payload and output; anything malformed becomes an <c>invalidPayload</c> failure naming the field.</summary>
public static class CommandPayload
{
    public static T Read<T>(CommandEnvelope command, JsonTypeInfo<T> info)
        where T : class
    {
        if (command.Payload.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"the payload of '{command.Kind}' must be a JSON object.");
        }

        try
        {
            return command.Payload.Deserialize(info) ?? throw Invalid("the payload is null.");
        }
        catch (JsonException exception)
        {
            var field = exception.Path is { Length: > 2 } path ? path[2..] : "payload";
            throw Invalid($"{field}: {exception.Message.Split(" Path:", 2)[0]}");
        }
    }

    /// <summary>Parses each item with <paramref name="parse"/>; a <see cref="FormatException"/> becomes a failure naming <c>field[i]</c>.</summary>
    public static List<TResult> Each<TItem, TResult>(IReadOnlyList<TItem>? items, string field, int max, Func<TItem, TResult> parse)
    {
        if (items is null or { Count: 0 } || items.Count > max)
        {
            throw Invalid($"{field}: give 1 to {max} items.");
        }

        var results = new List<TResult>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            try
            {
                results.Add(parse(items[i]));
            }
            catch (FormatException exception)
            {
                throw Invalid($"{field}[{i}]: {exception.Message}");
            }
        }

        return results;
    }

    public static JsonElement Output<T>(T output, JsonTypeInfo<T> info) => JsonSerializer.SerializeToElement(output, info);

    public static CommandFailure Invalid(string message) => new(CommandErrorKind.InvalidPayload, message);

    internal static ContractsJsonContext Contracts => ContractsJsonContext.Default;
}
