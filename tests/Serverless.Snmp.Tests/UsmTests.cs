using Serverless.Snmp;

namespace Serverless.Snmp.Tests;

public sealed class UsmTests
{
    [Fact]
    public void Key_localization_matches_the_RFC_3414_example()
    {
        // RFC 3414 A.3.2: password "maplesyrup", engine id 00..02, SHA-1.
        var key = Usm.LocalizeKey(AuthProtocol.Sha1, "maplesyrup", Convert.FromHexString("000000000000000000000002"));

        Assert.Equal("6695FEBC9288E36282235FC7151F128497B38F3F", Convert.ToHexString(key));
    }

    [Fact]
    public void Aes_cfb_round_trips_any_length_and_depends_on_the_salt()
    {
        var key = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");
        var plaintext = Enumerable.Range(0, 37).Select(i => (byte)i).ToArray();
        var salt = Convert.FromHexString("0102030405060708");

        var encrypted = Usm.Encrypt(key, 3, 1000, salt, plaintext);

        Assert.Equal(37, encrypted.Length);
        Assert.NotEqual(plaintext, encrypted);
        Assert.Equal(plaintext, Usm.Decrypt(key, 3, 1000, salt, encrypted));
        Assert.NotEqual(encrypted, Usm.Encrypt(key, 3, 1000, Convert.FromHexString("0102030405060709"), plaintext));
    }

    [Theory]
    [InlineData("", AuthProtocol.None, null, PrivProtocol.None, null)]
    [InlineData("u", AuthProtocol.Sha1, "short", PrivProtocol.None, null)]
    [InlineData("u", AuthProtocol.None, null, PrivProtocol.Aes128, "privpassword")]
    public void Invalid_users_are_refused_before_anything_is_sent(string name, AuthProtocol auth, string? authPassword, PrivProtocol priv, string? privPassword)
    {
        Assert.Throws<ArgumentException>(() => new UsmUser(name, auth, authPassword, priv, privPassword).Validate());
    }
}
