using System.Text;
using System.Text.Json.Nodes;
using Serverless.Functions.Http;

namespace Serverless.Functions.Tests;

/// <summary>A YAML request body as the JSON it stands for: YAML 1.2's core schema for plain scalars, refusals naming the path.</summary>
public sealed class YamlBodyTests
{
    [Fact]
    public void BlockAndFlowStyles_BecomeTheSameJson_WithCoreSchemaScalars()
    {
        var json = Convert("""
            # a comment
            name: web
            count: 3
            ratio: 0.5
            big: 1e3
            on: true
            off: False
            none: ~
            empty:
            quoted: "42"
            single: 'true'
            version: 1.2.3
            ref: ${image}
            list: [a, 1, "b"]
            nested:
              - { x: 1 }
              - y: null
            """);

        Assert.Equal(
            """{"name":"web","count":3,"ratio":0.5,"big":1000,"on":true,"off":false,"none":null,"empty":null,"quoted":"42","single":"true","version":"1.2.3","ref":"${image}","list":["a",1,"b"],"nested":[{"x":1},{"y":null}]}""",
            json!.ToJsonString());
    }

    [Fact]
    public void JsonText_IsYamlToo()
    {
        Assert.Equal("""{"a":[1,{"b":"c"}]}""", Convert("""{"a": [1, {"b": "c"}]}""")!.ToJsonString());
    }

    [Theory]
    [InlineData("base: &b {x: 1}\ncopy: *b\n", "copy", "anchors and aliases")]
    [InlineData("tiers:\n  - count: .inf\n", "tiers[0].count", "no JSON value")]
    [InlineData("a: 1\n---\nb: 2\n", "body", "one YAML document, not 2")]
    [InlineData("a: [1, 2\n", "body", "is not valid YAML")]
    [InlineData("a: 1\na: 2\n", "body", "is not valid YAML")]
    [InlineData("? [1, 2]\n: x\n", "body", "a YAML key must be a plain string")]
    public void WhatJsonCannotSay_IsRefused_NamingWhere(string yaml, string field, string message)
    {
        var (json, error) = YamlBody.ToJson(Encoding.UTF8.GetBytes(yaml));

        Assert.Null(json);
        Assert.Equal(field, error!.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASyntaxError_GivesItsLine()
    {
        var (_, error) = YamlBody.ToJson("ok: 1\nbad: [1, 2\n"u8);

        Assert.Matches(@"\(line \d+, column \d+\)\.$", error!.Message);
    }

    private static JsonNode? Convert(string yaml)
    {
        var (json, error) = YamlBody.ToJson(Encoding.UTF8.GetBytes(yaml));
        Assert.True(error is null, error?.Message);
        return JsonNode.Parse(json!);
    }
}
