using System.Text;
using Serverless.Functions.Http;

namespace Serverless.Functions.Tests;

/// <summary>The duplicate-key scanner every request body goes through: the first key given twice, with its path.</summary>
public sealed class JsonDuplicateKeysTests
{
    [Theory]
    [InlineData("""{"a":1,"a":2}""", "a", "a")]
    [InlineData("""{"a":{"b":1,"c":{"d":1,"d":2}}}""", "a.c.d", "d")]
    [InlineData("""{"a":[1,"x",null,{"b":1,"b":2}]}""", "a[3].b", "b")]
    [InlineData("""{"a":[[1,2],{"k":[]},{"k":1,"k":2}]}""", "a[2].k", "k")]
    [InlineData("""[{"x":1},{"x":1,"x":1}]""", "[1].x", "x")]
    [InlineData("""{"a":{"k":1},"b":{"k":1},"a":3}""", "a", "a")]
    public void Find_KeyGivenTwiceInOneObject_NamesItsPath(string json, string path, string key) =>
        Assert.Equal((path, key), JsonDuplicateKeys.Find(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"a":{"k":1},"b":{"k":1}}""")]
    [InlineData("""{"name":"a","Name":"b"}""")]
    [InlineData("""[{"x":1},{"x":2}]""")]
    [InlineData("""{"a":1,""")]
    [InlineData("42")]
    public void Find_DistinctKeysPerObjectOrMalformed_FindsNothing(string json) =>
        Assert.Null(JsonDuplicateKeys.Find(Encoding.UTF8.GetBytes(json)));
}
