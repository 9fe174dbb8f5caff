using System.Reflection;
using System.Text.RegularExpressions;
using Serverless.ControlPlane.Commands;
using Serverless.Functions;

namespace Serverless.Infrastructure.Tests;

/// <summary>Offline checks of infra-bicep with the bicep CLI from NuGet: it compiles and lints clean, matches the app, and stays locked down.</summary>
public sealed partial class BicepTests
{
    public static TheoryData<string, string> Commands()
    {
        var data = new TheoryData<string, string> { { "build", "main.bicep" }, { "lint", "main.bicep" } };
        foreach (var parameters in Directory.GetFiles(BicepCli.InfraFolder, "*.bicepparam").Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            data.Add("build-params", parameters!);
            data.Add("lint", parameters!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task BicepCommand_OnTemplatesAndParameterFiles_SucceedsWithoutWarnings(string command, string file)
    {
        var (exitCode, output, errors) = command == "lint" ? await BicepCli.RunAsync(command, file) : await BicepCli.RunAsync(command, file, "--stdout");

        Assert.True(exitCode == 0, $"bicep {command} {file} failed:\n{errors}");
        Assert.DoesNotContain("Warning", errors, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Warning", command == "lint" ? output : string.Empty, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CompiledTemplate_AppSettings_CoverEverySettingTheCodeReads()
    {
        var template = await CompiledTemplate.LoadAsync();

        var read = SettingsTheCodeReads().ToList();
        // The reflection must find what it is there to find, or an empty list would check nothing.
        Assert.Contains("Placement__CpuOvercommit", read);
        Assert.Contains("Instances__ReconcileSchedule", read);
        Assert.True(read.Count >= 20, $"only {read.Count} settings found: {string.Join(", ", read)}");
        var missing = read.Where(name => !template.Text.Contains($"\"{name}", StringComparison.Ordinal) && !template.Text.Contains($"'{name}", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, $"the template does not set: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task CompiledTemplate_Keys_GoOnlyIntoKeyVaultSecrets()
    {
        var template = await CompiledTemplate.LoadAsync();

        Assert.DoesNotContain("AccountKey=", template.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedAccessKey=", template.Text, StringComparison.Ordinal);
        // Modules are checked through their flattened resources, not as the deployment that embeds them.
        foreach (var resource in template.Resources.Where(r => r.Type is not ("Microsoft.KeyVault/vaults/secrets" or "Microsoft.Resources/deployments")))
        {
            Assert.DoesNotMatch(ListFunctions(), resource.Json.ToJsonString());
        }

        Assert.All(template.Outputs, outputs => Assert.DoesNotMatch(ListFunctions(), outputs.ToJsonString()));

        var secrets = template.Resources.Where(r => r.Type == "Microsoft.KeyVault/vaults/secrets").ToList();
        Assert.NotEmpty(secrets);
        Assert.All(secrets, secret => Assert.Contains("authorizationRules", secret.Json["properties"]!["value"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompiledTemplate_RoleAssignments_AreTheNarrowBuiltInRolesScopedToResources()
    {
        var template = await CompiledTemplate.LoadAsync();

        Assert.Contains("/deploymentTemplate.json#", template.Schema, StringComparison.Ordinal);
        var granted = new HashSet<(string Role, string ScopeType)>();
        foreach (var module in template.Resources.Where(r => r.Type == "Microsoft.Authorization/roleAssignments").GroupBy(r => r.Template))
        {
            // Role ids sit in each module's variables (built-in role GUIDs); every one must be a known, narrow role.
            var roleIds = Guids().Matches(module.Key["variables"]?.ToJsonString() ?? string.Empty).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
            Assert.NotEmpty(roleIds);
            foreach (var assignment in module)
            {
                var scope = assignment.Json["scope"]?.GetValue<string>() ?? string.Empty;
                Assert.StartsWith("[resourceId('Microsoft.", scope, StringComparison.Ordinal);
                Assert.DoesNotContain("subscription()", scope, StringComparison.Ordinal);
                Assert.Contains("variables(", assignment.Json["properties"]!["roleDefinitionId"]!.GetValue<string>(), StringComparison.Ordinal);
                foreach (var roleId in roleIds)
                {
                    Assert.True(BuiltInRoles.ContainsKey(roleId), $"a role assignment may grant {roleId}, which is not one of the expected narrow roles");
                    granted.Add((BuiltInRoles[roleId], scope.Split('\'')[1]));
                }
            }
        }

        Assert.Equal(
            [
                ("Azure Service Bus Data Sender", "Microsoft.ServiceBus/namespaces/queues"),
                ("Key Vault Secrets User", "Microsoft.KeyVault/vaults"),
                ("Monitoring Metrics Publisher", "Microsoft.Insights/components"),
                ("Storage Blob Data Owner", "Microsoft.Storage/storageAccounts"),
                ("Storage Queue Data Contributor", "Microsoft.Storage/storageAccounts"),
                ("Storage Table Data Contributor", "Microsoft.Storage/storageAccounts"),
            ],
            granted.Order());
    }

    [Fact]
    public async Task CompiledTemplate_Resources_AreLockedDown()
    {
        var template = await CompiledTemplate.LoadAsync();

        var site = template.Single("Microsoft.Web/sites");
        Assert.True(site["properties"]!["httpsOnly"]!.GetValue<bool>());
        Assert.Equal("1.2", site["properties"]!["siteConfig"]!["minTlsVersion"]!.GetValue<string>());
        Assert.Equal("Disabled", site["properties"]!["siteConfig"]!["ftpsState"]!.GetValue<string>());
        Assert.Equal("UserAssigned", site["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", template.Single("Microsoft.Web/serverfarms")["sku"]!["tier"]!.GetValue<string>());
        Assert.All(template.Resources.Where(r => r.Type == "Microsoft.Web/sites/basicPublishingCredentialsPolicies"),
            policy => Assert.False(policy.Json["properties"]!["allow"]!.GetValue<bool>()));
        Assert.Equal(2, template.Resources.Count(r => r.Type == "Microsoft.Web/sites/basicPublishingCredentialsPolicies"));

        var storage = template.Single("Microsoft.Storage/storageAccounts")["properties"]!;
        Assert.False(storage["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(storage["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", storage["minimumTlsVersion"]!.GetValue<string>());

        var vault = template.Single("Microsoft.KeyVault/vaults")["properties"]!;
        Assert.True(vault["enableRbacAuthorization"]!.GetValue<bool>());
        Assert.True(vault["enablePurgeProtection"]!.GetValue<bool>());

        Assert.True(template.Single("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!.GetValue<bool>());

        var queue = template.Single("Microsoft.ServiceBus/namespaces/queues")["properties"]!;
        Assert.True(queue["requiresSession"]!.GetValue<bool>());
        Assert.True(queue["requiresDuplicateDetection"]!.GetValue<bool>());
        Assert.True(queue["deadLetteringOnMessageExpiration"]!.GetValue<bool>());
        Assert.InRange(queue["maxDeliveryCount"]!.GetValue<int>(), 1, 20);
        var rights = template.Single("Microsoft.ServiceBus/namespaces/queues/authorizationRules")["properties"]!["rights"]!.AsArray();
        Assert.Equal(["Listen"], rights.Select(r => r!.GetValue<string>()));
    }

    /// <summary>
    /// Every setting name the Functions code reads: the constants in <see cref="AppSettingNames"/> (Service Bus and
    /// storage as prefixes, since Azure sets them per identity-based part) and every property of every options section.
    /// </summary>
    private static IEnumerable<string> SettingsTheCodeReads()
    {
        var constants = typeof(AppSettingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && !f.Name.EndsWith("Expression", StringComparison.Ordinal))
            .Select(f => ((string)f.GetRawConstantValue()!).Replace(":", "__", StringComparison.Ordinal));
        var sections = new[] { typeof(AppSettingNames).Assembly, typeof(CommandChannelOptions).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .Select(type => (Type: type, Section: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(t => t.Section is { IsLiteral: true })
            .SelectMany(t => SettingsOf(t.Type, (string)t.Section!.GetRawConstantValue()!));
        return constants.Concat(sections).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }

    private static IEnumerable<string> SettingsOf(Type options, string prefix)
    {
        foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var name = $"{prefix}__{property.Name}";
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal))
            {
                yield return name;
            }
            else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                yield return name + "__";
            }
            else
            {
                foreach (var nested in SettingsOf(type, name))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>ARM's list* functions (listKeys, listConnectionStrings, listSecrets…) that read keys at deployment.</summary>
    [GeneratedRegex(@"\blist[A-Z]\w*\(")]
    private static partial Regex ListFunctions();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guids();

    private static readonly Dictionary<string, string> BuiltInRoles = new(StringComparer.Ordinal)
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["69a216fc-b8fb-44d8-bc22-1f3c2552a39a"] = "Azure Service Bus Data Sender",
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
    };
}
