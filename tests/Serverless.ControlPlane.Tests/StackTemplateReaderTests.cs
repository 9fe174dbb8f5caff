using System.Text.Json;
using Serverless.ControlPlane.Stacks;

namespace Serverless.ControlPlane.Tests;

/// <summary>Template reading: parameters, every class of error with its JSON path, and dependency levels (<see cref="StackTemplateReader"/>).</summary>
public sealed class StackTemplateReaderTests
{
    private const string Tier = """{"name":"web","count":2,"zone":"dc-1","size":{"vcpus":1,"memoryMiB":512},"image":"ubuntu"}""";

    [Fact]
    public void Parameters_WholeStringsKeepTheirType_InsideStringsBecomeText_AndRequestValuesOverrideDefaults()
    {
        var (template, errors) = Read(
            """
            {"schemaVersion":1,
             "parameters":{"webCount":{"type":"integer","default":2},"image":{"type":"string"},"site":{"type":"string","default":"dc"}},
             "tiers":[{"name":"web","count":"${webCount}","zone":"${site}-1","size":{"vcpus":1,"memoryMiB":512},"image":"${image}"}]}
            """,
            new() { ["image"] = "\"alpine\"", ["webCount"] = "3" });

        Assert.Empty(errors);
        var tier = Assert.Single(template!.Tiers);
        Assert.Equal((3, "dc-1", "alpine"), (tier.Count, tier.Zone, tier.Image));
    }

    [Fact]
    public void Errors_NameTheirJsonPath_AllAtOnce()
    {
        var (template, errors) = Read(
            """
            {"schemaVersion":2,"color":"red",
             "parameters":{"n":{"type":"integer","default":"two"}},
             "tiers":[{"name":"Web","count":501,"zone":"dc-1","zoneSelector":{"kind":"provider"},"size":{"vcpus":0,"memoryMiB":512},"image":"${missing}","extra":1}],
             "appliances":[{"name":"lb","appliance":"lb-1","set":[{"oid":".1.3.6","type":"q","value":"1"},{"oid":"1.3.6.1.{member}","type":"i","value":"1"}]}],
             "pools":[{"name":"p","pool":"web-pool","tier":"nope"}],
             "outputs":{"names":{"tier":"web","attribute":"ips"}}}
            """);

        Assert.Null(template);
        Assert.Equal(
            [
                "$.appliances[0].set[0].oid", "$.appliances[0].set[0].type", "$.appliances[0].set[1].oid", "$.color", "$.outputs.names.attribute", "$.outputs.names.tier",
                "$.parameters.n.default", "$.pools[0].tier", "$.schemaVersion", "$.tiers[0].count", "$.tiers[0].extra", "$.tiers[0].image", "$.tiers[0].name",
                "$.tiers[0].size.vcpus", "$.tiers[0].zone",
            ],
            errors.Select(e => e.Field).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(errors, e => e.Field == "$.tiers[0].image" && e.Message.Contains("'missing'", StringComparison.Ordinal));
    }

    [Fact]
    public void EmptyTemplate_SaysItHasNothingToMake()
    {
        var (_, errors) = Read("""{"schemaVersion":1,"tiers":[]}""");

        Assert.Equal(("$.tiers", "the template has no tiers, appliance steps or pools; give at least one."), (Assert.Single(errors).Field, errors[0].Message));
    }

    [Fact]
    public void UnknownParameterInTheRequest_IsNamedUnderParameters()
    {
        var (_, errors) = Read($$"""{"schemaVersion":1,"tiers":[{{Tier}}]}""", new() { ["size"] = "1" });

        Assert.Equal(("parameters.size", "the template declares no such parameter."), (Assert.Single(errors).Field, errors[0].Message));
    }

    [Fact]
    public void Cycle_IsNamedWithItsLoop_AndUnknownOrSelfReferencesWithTheirIndex()
    {
        var (_, cycle) = Read(
            """
            {"schemaVersion":1,"tiers":[
              {"name":"db","count":1,"zone":"dc-1","size":{"vcpus":1,"memoryMiB":512},"image":"u","dependsOn":["web"]},
              {"name":"app","count":1,"zone":"dc-1","size":{"vcpus":1,"memoryMiB":512},"image":"u","dependsOn":["db"]},
              {"name":"web","count":1,"zone":"dc-1","size":{"vcpus":1,"memoryMiB":512},"image":"u","dependsOn":["app"]}]}
            """);
        var (_, unknown) = Read(
            """
            {"schemaVersion":1,"tiers":[{"name":"web","count":1,"zone":"dc-1","size":{"vcpus":1,"memoryMiB":512},"image":"u","dependsOn":["cache","web"]}]}
            """);

        var error = Assert.Single(cycle);
        Assert.Equal("$.tiers[0].dependsOn", error.Field);
        Assert.Equal("the dependencies form a cycle: db → web → app → db.", error.Message);
        Assert.Equal(["$.tiers[0].dependsOn[0]", "$.tiers[0].dependsOn[1]"], unknown.Select(e => e.Field));
    }

    [Fact]
    public void DuplicateComponentNames_AreRefusedWhereTheSecondOneIs()
    {
        var (_, errors) = Read($$"""{"schemaVersion":1,"tiers":[{{Tier}}],"appliances":[{"name":"web","appliance":"lb-1","set":[{"oid":"1.3.6.1.2","type":"i","value":"1"}]}]}""");

        Assert.Equal("$.appliances[0].name", Assert.Single(errors).Field);
    }

    [Fact]
    public void Levels_PutEachComponentAfterWhatItWaitsFor_AndAPoolMembershipAfterItsTier()
    {
        var (template, errors) = Read(
            """
            {"schemaVersion":1,
             "tiers":[
              {"name":"web","count":1,"zone":"dc-1","size":{"vcpus":1,"memoryMiB":512},"image":"u","dependsOn":["app"]},
              {"name":"db","count":1,"zone":"dc-1","size":{"vcpus":1,"memoryMiB":512},"image":"u"},
              {"name":"app","count":1,"zone":"dc-1","size":{"vcpus":1,"memoryMiB":512},"image":"u","dependsOn":["db"]}],
             "appliances":[{"name":"lb","appliance":"lb-1","members":["1","2"],"set":[{"oid":"1.3.6.1.4.1.8072.9999.1.1.{member}","type":"i","value":1}],"dependsOn":["web"]}],
             "pools":[{"name":"app-pool","pool":"apps","tier":"app"}]}
            """);

        Assert.Empty(errors);
        Assert.Equal(["db", "app", "web,app-pool", "lb"], StackTemplateReader.Levels(template!).Select(l => string.Join(',', l)));
        Assert.Equal(["1.3.6.1.4.1.8072.9999.1.1.1", "1.3.6.1.4.1.8072.9999.1.1.2"], template!.Appliances[0].Expanded.Select(b => b.Oid));
    }

    [Fact]
    public void InstanceNamesThatWouldNotFit_AreRefusedOnTheTierName()
    {
        var (_, errors) = StackTemplateReader.Read(
            "a-very-long-stack-name-xx",
            JsonDocument.Parse($$"""{"schemaVersion":1,"tiers":[{"name":"a-rather-long-tier-name-too-long","count":1,"zone":"dc-1","size":{"vcpus":1,"memoryMiB":512},"image":"u"}]}""").RootElement,
            null);

        Assert.Equal("$.tiers[0].name", Assert.Single(errors).Field);
    }

    private static (StackTemplate? Template, IReadOnlyList<Validation.FieldError> Errors) Read(string json, Dictionary<string, string>? parameters = null) =>
        StackTemplateReader.Read(
            "shop",
            JsonDocument.Parse(json).RootElement,
            parameters?.ToDictionary(p => p.Key, p => JsonDocument.Parse(p.Value).RootElement));
}
