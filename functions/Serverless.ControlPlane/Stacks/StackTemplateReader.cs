using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serverless.Contracts.Snmp;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Validation;
using Serverless.ControlPlane.Zones;

namespace Serverless.ControlPlane.Stacks;

/// <summary>
/// Reads a stack template: substitutes its parameters (<c>"${name}"</c> alone gives the value with its type, inside a
/// longer string its text), then checks every field, reference and the dependency graph. Each error names the JSON path
/// it was found at (<c>$.tiers[1].count</c>), and one answer lists them all. Pure; what needs the tenant's zones,
/// appliances, pools and capacity is checked by the planner.
/// </summary>
public static partial class StackTemplateReader
{
    public const int MaxComponents = 100;
    public const int MaxCount = 500;
    public const int MaxItems = 1000;
    public const int MaxBindings = 64;

    /// <summary>The longest tier name: instance names are <c>{stack}-{tier}-{index}</c> plus room for a replacement's suffix.</summary>
    public const int MaxInstanceNameLength = FieldRules.MaxNameLength - 6;

    private static readonly string[] TopLevel = ["schemaVersion", "description", "parameters", "onFailure", "concurrency", "tiers", "appliances", "pools", "outputs"];
    private static readonly string[] TierFields = ["name", "count", "zone", "zoneSelector", "size", "image", "placement", "tags", "dependsOn"];
    private static readonly string[] ApplianceFields = ["name", "appliance", "set", "members", "dependsOn"];
    private static readonly string[] PoolFields = ["name", "pool", "tier", "dependsOn"];
    private static readonly string[] SnmpTypes = ["integer", "string", "hex", "oid", "ipAddress", "counter32", "gauge32", "timeTicks", "opaque", "counter64", "i", "u", "s", "x", "o", "a", "t", "c", "C"];

    public static (StackTemplate? Template, IReadOnlyList<FieldError> Errors) Read(string stackName, JsonElement template, IReadOnlyDictionary<string, JsonElement>? parameters)
    {
        var errors = new List<FieldError>();
        if (template.ValueKind != JsonValueKind.Object)
        {
            return (null, [new FieldError("$", "the template must be a JSON object.")]);
        }

        var root = JsonNode.Parse(template.GetRawText())!.AsObject();
        Unknown(root, "$", TopLevel, errors);
        if (root["schemaVersion"] is not JsonValue version || !version.TryGetValue<int>(out var v) || v != StackTemplate.SchemaVersion)
        {
            errors.Add(new FieldError("$.schemaVersion", $"is required and must be {StackTemplate.SchemaVersion}."));
        }

        var values = ReadParameters(root["parameters"], parameters, errors);
        root.Remove("parameters");
        root = (JsonObject)Substitute(root, "$", values, errors)!;

        var onFailure = FailureMode.Rollback;
        if (root["onFailure"] is { } failure)
        {
            var text = Text(failure, "$.onFailure", errors);
            if (text is not null && !TryMode(text, out onFailure))
            {
                errors.Add(new FieldError("$.onFailure", "must be rollback or keep."));
            }
        }

        var concurrency = ReadConcurrency(root["concurrency"], errors);
        var tiers = Array(root, "tiers", errors).Select((node, i) => ReadTier(stackName, node, $"$.tiers[{i}]", errors)).OfType<StackTier>().ToList();
        var appliances = Array(root, "appliances", errors).Select((node, i) => ReadAppliance(node, $"$.appliances[{i}]", errors)).OfType<ApplianceStep>().ToList();
        var pools = Array(root, "pools", errors).Select((node, i) => ReadPool(node, $"$.pools[{i}]", errors)).OfType<PoolMembershipStep>().ToList();
        if (new[] { "tiers", "appliances", "pools" }.All(field => root[field] is not JsonArray { Count: > 0 }) && !errors.Any(e => e.Field is "$.tiers" or "$.appliances" or "$.pools"))
        {
            errors.Add(new FieldError("$.tiers", "the template has no tiers, appliance steps or pools; give at least one."));
        }

        var outputs = ReadOutputs(root["outputs"], tiers, errors);
        var candidate = new StackTemplate(tiers, appliances, pools, outputs, onFailure, concurrency);
        CheckGraph(candidate, errors);
        if (tiers.Sum(t => t.Count) + appliances.Count + pools.Count > MaxItems)
        {
            errors.Add(new FieldError("$.tiers", $"the stack would have more than {MaxItems} items."));
        }

        return errors.Count > 0 ? (null, errors) : (candidate, errors);
    }

    /// <summary>Components in dependency order, as levels: every component of a level waits only for earlier levels.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Levels(StackTemplate template)
    {
        var remaining = template.Components.ToDictionary(c => c.Name, c => c.DependsOn.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var order = template.Components.Select(c => c.Name).ToList();
        var levels = new List<IReadOnlyList<string>>();
        while (remaining.Count > 0)
        {
            var ready = order.Where(n => remaining.TryGetValue(n, out var deps) && deps.All(d => !remaining.ContainsKey(d))).ToList();
            if (ready.Count == 0)
            {
                throw new InvalidOperationException("The template's dependencies form a cycle; the reader refuses such templates.");
            }

            foreach (var name in ready)
            {
                remaining.Remove(name);
            }

            levels.Add(ready);
        }

        return levels;
    }

    private static bool TryMode(string text, out FailureMode mode)
    {
        mode = text switch { "rollback" => FailureMode.Rollback, "keep" => FailureMode.Keep, _ => (FailureMode)(-1) };
        return Enum.IsDefined(mode);
    }

    private static Dictionary<string, JsonNode?> ReadParameters(JsonNode? declared, IReadOnlyDictionary<string, JsonElement>? given, List<FieldError> errors)
    {
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var declarations = declared as JsonObject;
        if (declared is not null && declarations is null)
        {
            errors.Add(new FieldError("$.parameters", "must be an object of parameter declarations."));
        }

        foreach (var (name, node) in declarations ?? [])
        {
            var path = $"$.parameters.{name}";
            if (!ParameterName().IsMatch(name))
            {
                errors.Add(new FieldError(path, "a parameter name is letters, digits and '_', starting with a letter, at most 63 characters."));
                continue;
            }

            if (node is not JsonObject declaration)
            {
                errors.Add(new FieldError(path, "must be an object {type, default?, description?}."));
                continue;
            }

            Unknown(declaration, path, ["type", "default", "description"], errors);
            var type = declaration["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
            if (type is not ("string" or "integer" or "boolean"))
            {
                errors.Add(new FieldError($"{path}.type", "is required: string, integer or boolean."));
                continue;
            }

            JsonNode? value = given is not null && given.TryGetValue(name, out var supplied) ? JsonNode.Parse(supplied.GetRawText()) : declaration["default"]?.DeepClone();
            var valuePath = given is not null && given.ContainsKey(name) ? $"parameters.{name}" : $"{path}.default";
            if (value is null)
            {
                errors.Add(new FieldError(path, "has no default and no value was given in the request's parameters."));
                continue;
            }

            var kind = value.GetValueKind();
            var fits = type switch
            {
                "string" => kind == JsonValueKind.String,
                "integer" => kind == JsonValueKind.Number && value.AsValue().TryGetValue<long>(out _),
                _ => kind is JsonValueKind.True or JsonValueKind.False,
            };
            if (!fits)
            {
                errors.Add(new FieldError(valuePath, $"must be a{(type == "integer" ? "n" : string.Empty)} {type}."));
                continue;
            }

            values[name] = value;
        }

        foreach (var name in given?.Keys ?? [])
        {
            if (declarations is null || !declarations.ContainsKey(name))
            {
                errors.Add(new FieldError($"parameters.{name}", "the template declares no such parameter."));
            }
        }

        return values;
    }

    private static JsonNode? Substitute(JsonNode? node, string path, Dictionary<string, JsonNode?> values, List<FieldError> errors)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    obj[key] = Substitute(obj[key]?.DeepClone(), $"{path}.{key}", values, errors);
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Substitute(array[i]?.DeepClone(), $"{path}[{i}]", values, errors);
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Contains("${", StringComparison.Ordinal):
                var whole = Reference().Match(text);
                if (whole.Success && whole.Length == text.Length)
                {
                    return Lookup(whole.Groups[1].Value, path, values, errors)?.DeepClone();
                }

                return JsonValue.Create(Reference().Replace(text, m => Lookup(m.Groups[1].Value, path, values, errors) is { } found
                    ? found.GetValueKind() == JsonValueKind.String ? found.GetValue<string>() : found.ToJsonString()
                    : string.Empty));
            default:
                return node;
        }
    }

    private static JsonNode? Lookup(string name, string path, Dictionary<string, JsonNode?> values, List<FieldError> errors)
    {
        if (values.TryGetValue(name, out var value))
        {
            return value;
        }

        errors.Add(new FieldError(path, $"refers to parameter '{name}', which the template does not declare (or whose value is wrong)."));
        return null;
    }

    private static StackConcurrency ReadConcurrency(JsonNode? node, List<FieldError> errors)
    {
        if (node is null)
        {
            return StackConcurrency.Default;
        }

        if (node is not JsonObject obj)
        {
            errors.Add(new FieldError("$.concurrency", "must be an object {perTier, perZone}."));
            return StackConcurrency.Default;
        }

        Unknown(obj, "$.concurrency", ["perTier", "perZone"], errors);
        var perTier = obj["perTier"] is null ? StackConcurrency.Default.PerTier : Int(obj["perTier"], "$.concurrency.perTier", 1, StackConcurrency.Max, errors);
        var perZone = obj["perZone"] is null ? StackConcurrency.Default.PerZone : Int(obj["perZone"], "$.concurrency.perZone", 1, StackConcurrency.Max, errors);
        return new StackConcurrency(perTier, perZone);
    }

    private static StackTier? ReadTier(string stackName, JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is not JsonObject obj)
        {
            errors.Add(new FieldError(path, "must be an object."));
            return null;
        }

        var before = errors.Count;
        Unknown(obj, path, TierFields, errors);
        var name = ComponentName(obj["name"], $"{path}.name", errors);
        if (name is not null && $"{stackName}-{name}-{MaxCount}".Length > MaxInstanceNameLength)
        {
            errors.Add(new FieldError($"{path}.name", $"instance names are '{stackName}-{name}-N'; stack and tier names together must leave them at most {MaxInstanceNameLength} characters."));
        }

        var count = Int(obj["count"], $"{path}.count", 0, MaxCount, errors);
        var zone = obj["zone"] is null ? null : Text(obj["zone"], $"{path}.zone", errors);
        ZoneSelector? selector = null;
        if (obj["zoneSelector"] is { } selectorNode)
        {
            selector = ReadSelector(selectorNode, $"{path}.zoneSelector", errors);
        }

        if ((zone is null) == (selector is null) && !errors.Any(e => e.Field.StartsWith($"{path}.zone", StringComparison.Ordinal)))
        {
            errors.Add(new FieldError($"{path}.zone", "give exactly one of zone or zoneSelector {kind: provider|client, zones: [...]}."));
        }

        var (vcpus, memory) = (0, 0);
        if (obj["size"] is JsonObject size)
        {
            Unknown(size, $"{path}.size", ["vcpus", "memoryMiB"], errors);
            vcpus = Int(size["vcpus"], $"{path}.size.vcpus", 1, InstanceService.MaxVirtualCpus, errors);
            memory = Int(size["memoryMiB"], $"{path}.size.memoryMiB", InstanceService.MinMemoryMiB, InstanceService.MaxMemoryMiB, errors);
        }
        else
        {
            errors.Add(new FieldError($"{path}.size", "is required: {\"vcpus\": …, \"memoryMiB\": …}."));
        }

        var image = Text(obj["image"], $"{path}.image", errors);
        var (antiAffinity, spread) = (false, false);
        if (obj["placement"] is { } placementNode)
        {
            if (placementNode is JsonObject placement)
            {
                Unknown(placement, $"{path}.placement", ["antiAffinity", "spread"], errors);
                antiAffinity = Bool(placement["antiAffinity"], $"{path}.placement.antiAffinity", errors);
                spread = Bool(placement["spread"], $"{path}.placement.spread", errors);
            }
            else
            {
                errors.Add(new FieldError($"{path}.placement", "must be an object {antiAffinity: bool, spread: bool}."));
            }
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["tags"] is { } tagsNode)
        {
            if (tagsNode is not JsonObject tagObject || tagObject.Count > InstanceService.MaxTags - 2)
            {
                errors.Add(new FieldError($"{path}.tags", $"must be an object of at most {InstanceService.MaxTags - 2} string tags."));
            }
            else
            {
                foreach (var (key, value) in tagObject)
                {
                    if (key is "stack" or "tier" || key.Length is 0 or > FieldRules.MaxNameLength || key.Any(c => char.IsControl(c) || c == '='))
                    {
                        errors.Add(new FieldError($"{path}.tags.{key}", "a key is 1-63 printable characters without '='; 'stack' and 'tier' are set by the stack."));
                    }
                    else if (Text(value, $"{path}.tags.{key}", errors) is { } text)
                    {
                        tags[key] = text;
                    }
                }
            }
        }

        var dependsOn = Names(obj["dependsOn"], $"{path}.dependsOn", errors);
        return errors.Count > before ? null : new StackTier(name!, count, zone, selector, vcpus, memory, image!, antiAffinity, spread, tags, dependsOn);
    }

    private static ZoneSelector? ReadSelector(JsonNode node, string path, List<FieldError> errors)
    {
        if (node is not JsonObject obj)
        {
            errors.Add(new FieldError(path, "must be an object {kind: provider|client, zones: [...]}."));
            return null;
        }

        Unknown(obj, path, ["kind", "zones"], errors);
        ZoneKind? kind = null;
        if (obj["kind"] is { } kindNode)
        {
            kind = Text(kindNode, $"{path}.kind", errors) switch
            {
                "provider" => ZoneKind.Provider,
                "client" => ZoneKind.Client,
                null => null,
                _ => Fail<ZoneKind?>(errors, $"{path}.kind", "must be provider or client."),
            };
        }

        var zones = obj["zones"] is null ? null : Names(obj["zones"], $"{path}.zones", errors);
        if (kind is null && zones is not { Count: > 0 })
        {
            errors.Add(new FieldError(path, "give kind (provider or client), zones, or both."));
        }

        return new ZoneSelector(kind, zones);
    }

    private static ApplianceStep? ReadAppliance(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is not JsonObject obj)
        {
            errors.Add(new FieldError(path, "must be an object."));
            return null;
        }

        var before = errors.Count;
        Unknown(obj, path, ApplianceFields, errors);
        var name = ComponentName(obj["name"], $"{path}.name", errors);
        var appliance = Text(obj["appliance"], $"{path}.appliance", errors);
        if (appliance is not null)
        {
            FieldRules.Name($"{path}.appliance", appliance, errors);
        }

        var members = new List<string>();
        if (obj["members"] is { } membersNode)
        {
            if (membersNode is not JsonArray array || array.Count > MaxBindings)
            {
                errors.Add(new FieldError($"{path}.members", $"must be a list of at most {MaxBindings} member indexes such as \"3\" or \"1.4\"."));
            }
            else
            {
                for (var i = 0; i < array.Count; i++)
                {
                    var index = array[i] is JsonValue v && v.TryGetValue<long>(out var number) ? number.ToString(CultureInfo.InvariantCulture) : Text(array[i], $"{path}.members[{i}]", errors);
                    if (index is not null && !FieldRules.IsMemberIndex(index))
                    {
                        errors.Add(new FieldError($"{path}.members[{i}]", "must be a member index: dotted numbers such as 3 or 1.4."));
                    }
                    else if (index is not null)
                    {
                        members.Add(index);
                    }
                }
            }
        }

        var bindings = new List<SnmpBinding>();
        if (obj["set"] is not JsonArray set || set.Count is 0 or > MaxBindings)
        {
            errors.Add(new FieldError($"{path}.set", $"is required: 1 to {MaxBindings} bindings {{oid, type, value}}."));
        }
        else
        {
            for (var i = 0; i < set.Count; i++)
            {
                var at = $"{path}.set[{i}]";
                if (set[i] is not JsonObject binding)
                {
                    errors.Add(new FieldError(at, "must be an object {oid, type, value}."));
                    continue;
                }

                Unknown(binding, at, ["oid", "type", "value"], errors);
                var oid = Text(binding["oid"], $"{at}.oid", errors);
                if (oid is not null && !OidPattern().IsMatch(oid))
                {
                    errors.Add(new FieldError($"{at}.oid", "must be a numeric OID without a leading dot, where {member} may stand for the member index (1.3.6.1.4.1.8072.9999.1.1.{member})."));
                }
                else if (oid is not null && oid.Contains("{member}", StringComparison.Ordinal) && members.Count == 0)
                {
                    errors.Add(new FieldError($"{at}.oid", "uses {member} but the step lists no members."));
                }

                var type = Text(binding["type"], $"{at}.type", errors);
                if (type is not null && !SnmpTypes.Contains(type))
                {
                    errors.Add(new FieldError($"{at}.type", $"must be one of: {string.Join(", ", SnmpTypes)}."));
                }

                var value = binding["value"] is JsonValue number && number.TryGetValue<long>(out var n) ? n.ToString(CultureInfo.InvariantCulture) : Text(binding["value"], $"{at}.value", errors);
                if (oid is not null && type is not null && value is not null)
                {
                    bindings.Add(new SnmpBinding(oid, type, value));
                }
            }
        }

        var dependsOn = Names(obj["dependsOn"], $"{path}.dependsOn", errors);
        var step = errors.Count > before ? null : new ApplianceStep(name!, appliance!, bindings, members, dependsOn);
        if (step is not null && step.Expanded.Count > SnmpGetPayload.MaxOids)
        {
            errors.Add(new FieldError($"{path}.set", $"sets {step.Expanded.Count} OIDs once the members are counted; one step sets at most {SnmpGetPayload.MaxOids}."));
            return null;
        }

        return step;
    }

    private static PoolMembershipStep? ReadPool(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is not JsonObject obj)
        {
            errors.Add(new FieldError(path, "must be an object."));
            return null;
        }

        var before = errors.Count;
        Unknown(obj, path, PoolFields, errors);
        var name = ComponentName(obj["name"], $"{path}.name", errors);
        var pool = Text(obj["pool"], $"{path}.pool", errors);
        if (pool is not null)
        {
            FieldRules.Name($"{path}.pool", pool, errors);
        }

        var tier = Text(obj["tier"], $"{path}.tier", errors);
        var dependsOn = Names(obj["dependsOn"], $"{path}.dependsOn", errors);
        return errors.Count > before ? null : new PoolMembershipStep(name!, pool!, tier!, dependsOn);
    }

    private static List<StackOutput> ReadOutputs(JsonNode? node, List<StackTier> tiers, List<FieldError> errors)
    {
        var outputs = new List<StackOutput>();
        if (node is null)
        {
            return outputs;
        }

        if (node is not JsonObject obj)
        {
            errors.Add(new FieldError("$.outputs", "must be an object of outputs {tier, attribute}."));
            return outputs;
        }

        foreach (var (name, value) in obj)
        {
            var path = $"$.outputs.{name}";
            if (value is not JsonObject output)
            {
                errors.Add(new FieldError(path, "must be an object {tier, attribute}."));
                continue;
            }

            Unknown(output, path, ["tier", "attribute"], errors);
            var tier = Text(output["tier"], $"{path}.tier", errors);
            if (tier is not null && !tiers.Any(t => t.Name == tier))
            {
                errors.Add(new FieldError($"{path}.tier", $"there is no tier named '{tier}'."));
            }

            var attribute = Text(output["attribute"], $"{path}.attribute", errors);
            if (attribute is not null && !StackOutput.Attributes.Contains(attribute))
            {
                errors.Add(new FieldError($"{path}.attribute", $"must be one of: {string.Join(", ", StackOutput.Attributes)}."));
            }

            if (tier is not null && attribute is not null)
            {
                outputs.Add(new StackOutput(name, tier, attribute));
            }
        }

        return outputs;
    }

    /// <summary>Names unique across components, every reference known and of the right kind, no cycle (named with its path).</summary>
    private static void CheckGraph(StackTemplate template, List<FieldError> errors)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        void Claim(string name, string path)
        {
            if (!paths.TryAdd(name, path))
            {
                errors.Add(new FieldError(path, $"'{name}' is already the name of {paths[name]}; component names are unique in a template."));
            }
        }

        for (var i = 0; i < template.Tiers.Count; i++)
        {
            Claim(template.Tiers[i].Name, $"$.tiers[{i}].name");
        }

        for (var i = 0; i < template.Appliances.Count; i++)
        {
            Claim(template.Appliances[i].Name, $"$.appliances[{i}].name");
        }

        for (var i = 0; i < template.Pools.Count; i++)
        {
            Claim(template.Pools[i].Name, $"$.pools[{i}].name");
            if (!template.Tiers.Any(t => t.Name == template.Pools[i].Tier))
            {
                errors.Add(new FieldError($"$.pools[{i}].tier", $"there is no tier named '{template.Pools[i].Tier}'."));
            }
        }

        var pathOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (list, prefix) in new (IEnumerable<(string Name, IReadOnlyList<string> DependsOn)>, string)[]
        {
            (template.Tiers.Select(t => (t.Name, t.DependsOn)), "$.tiers"),
            (template.Appliances.Select(a => (a.Name, a.DependsOn)), "$.appliances"),
            (template.Pools.Select(p => (p.Name, p.DependsOn)), "$.pools"),
        })
        {
            var index = 0;
            foreach (var (name, dependsOn) in list)
            {
                pathOf.TryAdd(name, $"{prefix}[{index}]");
                for (var d = 0; d < dependsOn.Count; d++)
                {
                    if (!paths.ContainsKey(dependsOn[d]))
                    {
                        errors.Add(new FieldError($"{prefix}[{index}].dependsOn[{d}]", $"there is no component named '{dependsOn[d]}'."));
                    }
                    else if (dependsOn[d] == name)
                    {
                        errors.Add(new FieldError($"{prefix}[{index}].dependsOn[{d}]", "a component cannot depend on itself."));
                    }
                }

                index++;
            }
        }

        if (errors.Count > 0)
        {
            return;
        }

        // Depth-first search for a cycle; the error names the first component of it and the whole loop.
        var graph = template.Components.ToDictionary(c => c.Name, c => c.DependsOn, StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<string>();
        bool Visit(string name)
        {
            state[name] = 1;
            stack.Add(name);
            foreach (var next in graph[name])
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    var loop = stack.Skip(stack.IndexOf(next)).Append(next);
                    errors.Add(new FieldError($"{pathOf[next]}.dependsOn", $"the dependencies form a cycle: {string.Join(" → ", loop)}."));
                    return true;
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next))
                {
                    return true;
                }
            }

            state[name] = 2;
            stack.RemoveAt(stack.Count - 1);
            return false;
        }

        foreach (var name in graph.Keys)
        {
            if (state.GetValueOrDefault(name) == 0 && Visit(name))
            {
                return;
            }
        }
    }

    private static IEnumerable<JsonNode?> Array(JsonObject root, string field, List<FieldError> errors)
    {
        var node = root[field];
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array || array.Count > MaxComponents)
        {
            errors.Add(new FieldError($"$.{field}", $"must be a list of at most {MaxComponents} entries."));
            return [];
        }

        return array;
    }

    private static string? ComponentName(JsonNode? node, string path, List<FieldError> errors)
    {
        var name = Text(node, path, errors);
        if (name is null)
        {
            return null;
        }

        var before = errors.Count;
        FieldRules.Name(path, name, errors);
        return errors.Count > before ? null : name;
    }

    private static IReadOnlyList<string> Names(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array || array.Count > MaxComponents)
        {
            errors.Add(new FieldError(path, $"must be a list of at most {MaxComponents} names."));
            return [];
        }

        var names = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            if (ComponentName(array[i], $"{path}[{i}]", errors) is { } name && !names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static string? Text(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length is > 0 and <= FieldRules.MaxTextLength && !text.Any(char.IsControl))
        {
            return text;
        }

        errors.Add(new FieldError(path, node is null ? "is required." : $"must be a string of 1 to {FieldRules.MaxTextLength} printable characters."));
        return null;
    }

    private static int Int(JsonNode? node, string path, int min, int max, List<FieldError> errors)
    {
        if (node is JsonValue value && value.TryGetValue<int>(out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors.Add(new FieldError(path, node is null ? $"is required: an integer from {min} to {max}." : $"must be an integer from {min} to {max}."));
        return 0;
    }

    private static bool Bool(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is null)
        {
            return false;
        }

        if (node is JsonValue value && value.TryGetValue<bool>(out var flag))
        {
            return flag;
        }

        errors.Add(new FieldError(path, "must be true or false."));
        return false;
    }

    private static void Unknown(JsonObject obj, string path, string[] known, List<FieldError> errors)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                errors.Add(new FieldError($"{path}.{key}", $"is not a field here; the fields are: {string.Join(", ", known)}."));
            }
        }
    }

    private static T Fail<T>(List<FieldError> errors, string path, string message)
    {
        errors.Add(new FieldError(path, message));
        return default!;
    }

    [GeneratedRegex(@"\$\{([A-Za-z][A-Za-z0-9_]{0,62})\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"^(0|[1-9][0-9]*|\{member\})(\.(0|[1-9][0-9]*|\{member\})){1,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex OidPattern();
}
