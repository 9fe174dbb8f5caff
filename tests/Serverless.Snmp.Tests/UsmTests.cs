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

    [Theory]
    [InlineData(AuthProtocol.Sha1, "newsyrup", "78E2DCCE79D59403B58C1BBAA5BFF46391F1CD25")] // RFC 3414 A.5.2
    // RFC 7860 publishes no vectors; this one is what net-snmp 5.9 persists for createUser SHA-256 "maplesyrup" with
    // exactEngineID 0x000000000000000000000002.
    [InlineData(AuthProtocol.Sha256, "maplesyrup", "8982E0E549E866DB361A6B625D84CCCC11162D453EE8CE3A6445C2D6776F0F8B")]
    public void Key_localization_matches_published_and_net_snmp_vectors(AuthProtocol protocol, string password, string expected) =>
        Assert.Equal(expected, Convert.ToHexString(Usm.LocalizeKey(protocol, password, Convert.FromHexString("000000000000000000000002"))));

    [Theory]
    // RFC 2202 case 1 truncated to HMAC-SHA-1-96 (RFC 3414); RFC 4231 cases 1 and 2 truncated to HMAC-SHA-256-192 (RFC 7860).
    [InlineData(AuthProtocol.Sha1, "0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B", "Hi There", "B617318655057264E28BC0B6")]
    [InlineData(AuthProtocol.Sha256, "0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B", "Hi There", "B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA7")]
    [InlineData(AuthProtocol.Sha256, "4A656665", "what do ya want for nothing?", "5BDCC146BF60754E6A042426089575C75A003F089D273983")]
    public void Digest_is_the_truncated_hmac_of_the_rfc_test_cases(AuthProtocol protocol, string keyHex, string message, string expected) =>
        Assert.Equal(expected, Convert.ToHexString(Usm.Digest(protocol, Convert.FromHexString(keyHex), System.Text.Encoding.ASCII.GetBytes(message))));

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
