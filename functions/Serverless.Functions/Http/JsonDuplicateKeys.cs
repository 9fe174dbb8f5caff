using System.Text;
using System.Text.Json;

namespace Serverless.Functions.Http;

/// <summary>
/// Finds the first key that appears twice in one JSON object, at any depth (payloads kept as raw JSON included).
/// RFC 8259 leaves duplicates undefined and parsers disagree on them (first wins, last wins, error), so the API
/// refuses them instead of guessing.
/// </summary>
public static class JsonDuplicateKeys
{
    /// <summary>The duplicate's path (<c>members[1].id</c>) and key, or null when every object's keys are distinct or the JSON is malformed.</summary>
    public static (string Path, string Key)? Find(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var scopes = new Stack<Scope>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        scopes.Push(new Scope(Label(scopes), new HashSet<string>(StringComparer.Ordinal)));
                        break;
                    case JsonTokenType.StartArray:
                        scopes.Push(new Scope(Label(scopes), null));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        scopes.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var key = reader.GetString()!;
                        var scope = scopes.Peek();
                        if (!scope.Keys!.Add(key))
                        {
                            return (Join(scope.Path, key), key);
                        }

                        scope.Current = key;
                        break;
                    default:
                        // A scalar: in an array it takes the next index.
                        if (scopes.TryPeek(out var array) && array.Keys is null)
                        {
                            array.Index++;
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: the deserializer reports it with its position.
        }

        return null;
    }

    /// <summary>The path of the value about to start inside the innermost scope: its key, or its array index.</summary>
    private static string Label(Stack<Scope> scopes)
    {
        if (!scopes.TryPeek(out var parent))
        {
            return string.Empty;
        }

        if (parent.Keys is not null)
        {
            return Join(parent.Path, parent.Current ?? string.Empty);
        }

        var path = $"{parent.Path}[{parent.Index}]";
        parent.Index++;
        return path;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : new StringBuilder(path).Append('.').Append(key).ToString();

    private sealed class Scope(string path, HashSet<string>? keys)
    {
        public string Path { get; } = path;

        /// <summary>The keys seen so far in an object; null for an array.</summary>
        public HashSet<string>? Keys { get; } = keys;

        public string? Current { get; set; }

        public int Index { get; set; }
    }
}
