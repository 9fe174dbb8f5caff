using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Tests;

public sealed class FieldRulesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("dc-frankfurt-1", true)]
    [InlineData("", false)]
    [InlineData("1abc", false)]
    [InlineData("abc-", false)]
    [InlineData("Abc", false)]
    [InlineData("a b", false)]
    [InlineData("a_b", false)]
    public void Name_Value_AcceptedOnlyWhenDnsLabelLike(string value, bool accepted)
    {
        var errors = new List<FieldError>();

        FieldRules.Name("name", value, errors);

        Assert.Equal(accepted, errors.Count == 0);
    }

    [Fact]
    public void Name_LongerThan63_IsRefused()
    {
        var errors = new List<FieldError>();

        FieldRules.Name("name", new string('a', 64), errors);

        Assert.Equal("name", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("zone-1")]
    [InlineData("z")]
    [InlineData("ünïcode ✓")]
    public void ContinuationTokens_EncodeThenDecode_RoundTrips(string key)
    {
        Assert.True(ContinuationTokens.TryDecode(ContinuationTokens.Encode(key), out var decoded));
        Assert.Equal(key, decoded);
    }

    [Theory]
    [InlineData("%%%")]
    [InlineData("")]
    public void ContinuationTokens_Garbage_IsRefused(string token)
    {
        Assert.False(ContinuationTokens.TryDecode(token, out _));
    }
}
