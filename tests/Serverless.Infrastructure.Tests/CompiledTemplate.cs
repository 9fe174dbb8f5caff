using System.Text.Json.Nodes;

namespace Serverless.Infrastructure.Tests;

/// <summary>main.bicep compiled to ARM JSON once per test run, with the resources of every module flattened.</summary>
internal sealed class CompiledTemplate
{
    private static readonly Lazy<Task<CompiledTemplate>> Compiled = new(CompileAsync);

    private CompiledTemplate(string text, JsonObject root)
    {
        Text = text;
        Schema = root["$schema"]!.GetValue<string>();
        Templates = [.. Flatten(root)];
        Resources = [.. Templates.SelectMany(t => t["resources"]!.AsArray().Select(r => new TemplateResource(r!["type"]!.GetValue<string>(), r.AsObject(), t)))];
        Outputs = [.. Templates.Select(t => t["outputs"]).OfType<JsonObject>()];
    }

    public string Text { get; }

    public string Schema { get; }

    /// <summary>The root template and every module's nested template.</summary>
    public IReadOnlyList<JsonObject> Templates { get; }

    public IReadOnlyList<TemplateResource> Resources { get; }

    public IReadOnlyList<JsonObject> Outputs { get; }

    public static Task<CompiledTemplate> LoadAsync() => Compiled.Value;

    public JsonObject Single(string type) => Resources.Single(r => r.Type == type).Json;

    private static async Task<CompiledTemplate> CompileAsync()
    {
        var (exitCode, output, errors) = await BicepCli.RunAsync("build", "main.bicep", "--stdout");
        return exitCode == 0 ? new CompiledTemplate(output, JsonNode.Parse(output)!.AsObject()) : throw new InvalidOperationException($"bicep build failed:\n{errors}");
    }

    private static IEnumerable<JsonObject> Flatten(JsonObject template)
    {
        yield return template;
        foreach (var module in template["resources"]!.AsArray().Where(r => r!["type"]!.GetValue<string>() == "Microsoft.Resources/deployments"))
        {
            foreach (var nested in Flatten(module!["properties"]!["template"]!.AsObject()))
            {
                yield return nested;
            }
        }
    }
}

/// <summary>One resource of a compiled template and the (module) template it is declared in.</summary>
internal sealed record TemplateResource(string Type, JsonObject Json, JsonObject Template);
