using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serverless.ControlPlane.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Serverless.Functions.Http;

/// <summary>
/// A YAML request body as the JSON it stands for, so one reader, one set of rules and the same error paths serve both.
/// Plain scalars follow YAML 1.2's core schema (null, true/false, integers, floats; everything else is a string);
/// quoted scalars are strings. One document only; anchors and aliases are refused (an alias can multiply a small body).
/// </summary>
public static partial class YamlBody
{
    public static (byte[]? Json, FieldError? Error) ToJson(ReadOnlySpan<byte> yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(Encoding.UTF8.GetString(yaml)));
        }
        catch (YamlException exception)
        {
            return (null, new FieldError("body", $"is not valid YAML: {Message(exception)} (line {exception.Start.Line}, column {exception.Start.Column})."));
        }

        if (stream.Documents.Count != 1)
        {
            return (null, new FieldError("body", $"must be one YAML document, not {stream.Documents.Count}."));
        }

        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var (node, error) = Convert(stream.Documents[0].RootNode, string.Empty, seen);
        return error is not null ? (null, error) : (Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null"), null);
    }

    private static (JsonNode? Node, FieldError? Error) Convert(YamlNode node, string path, HashSet<YamlNode> seen)
    {
        if (!seen.Add(node))
        {
            return (null, new FieldError(Field(path), "YAML anchors and aliases are not supported; write the value out."));
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        return (null, new FieldError(Field(path), "a YAML key must be a plain string."));
                    }

                    var (child, error) = Convert(value, path.Length == 0 ? name : $"{path}.{name}", seen);
                    if (error is not null)
                    {
                        return (null, error);
                    }

                    obj[name] = child;
                }

                return (obj, null);
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var (child, error) = Convert(sequence.Children[i], $"{path}[{i}]", seen);
                    if (error is not null)
                    {
                        return (null, error);
                    }

                    array.Add(child);
                }

                return (array, null);
            case YamlScalarNode scalar:
                return Scalar(scalar, path);
            default:
                return (null, new FieldError(Field(path), "is not a YAML value this API reads."));
        }
    }

    private static (JsonNode? Node, FieldError? Error) Scalar(YamlScalarNode scalar, string path)
    {
        var text = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (scalar.Style is not ScalarStyle.Plain || tag == "tag:yaml.org,2002:str")
        {
            return (JsonValue.Create(text), null);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return (null, null);
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return (JsonValue.Create(text.Equals("true", StringComparison.OrdinalIgnoreCase)), null);
        }

        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return (JsonValue.Create(integer), null);
        }

        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return (JsonValue.Create(number), null);
        }

        if (NotANumber().IsMatch(text))
        {
            return (null, new FieldError(Field(path), $"'{text}' has no JSON value; give a finite number."));
        }

        return (JsonValue.Create(text), null);
    }

    private static string Field(string path) => path.Length == 0 ? "body" : path;

    // YamlDotNet's messages start with the position, which the error gives on its own.
    private static string Message(YamlException exception) =>
        exception.Message.Contains("): ", StringComparison.Ordinal) ? exception.Message[(exception.Message.IndexOf("): ", StringComparison.Ordinal) + 3)..] : exception.Message;

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex NotANumber();
}
