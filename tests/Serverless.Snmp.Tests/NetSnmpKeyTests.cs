using System.Text.RegularExpressions;
using Serverless.Testing;

namespace Serverless.Snmp.Tests;

/// <summary>Key localization checked against net-snmp itself: snmpd persists the keys it derived for its users.</summary>
public sealed partial class NetSnmpKeyTests
{
    [Fact]
    public async Task Localized_keys_equal_the_keys_net_snmp_derives_for_random_passwords_and_engine_ids()
    {
        var engineId = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var shaPassword = $"sha-{Guid.NewGuid():N}";
        var sha256Password = $"sha256-{Guid.NewGuid():N}";
        var privPassword = $"aes-{Guid.NewGuid():N}";
        await using var snmpd = await SnmpdProcess.StartAsync($"""
            exactEngineID 0x{engineId}
            createUser keysha SHA "{shaPassword}" AES "{privPassword}"
            createUser keysha256 SHA-256 "{sha256Password}" AES "{privPassword}"
            """);
        await snmpd.StopAsync();

        var persisted = UsmUserLine().Matches(snmpd.PersistentState()).ToDictionary(m => m.Groups["name"].Value, m => (Auth: m.Groups["auth"].Value, Priv: m.Groups["priv"].Value));
        var engine = Convert.FromHexString(engineId);
        Assert.Equal(
            (Convert.ToHexString(Usm.LocalizeKey(AuthProtocol.Sha1, shaPassword, engine)), Convert.ToHexString(Usm.LocalizeKey(AuthProtocol.Sha1, privPassword, engine))[..32]),
            (persisted["keysha"].Auth.ToUpperInvariant(), persisted["keysha"].Priv.ToUpperInvariant()));
        Assert.Equal(
            (Convert.ToHexString(Usm.LocalizeKey(AuthProtocol.Sha256, sha256Password, engine)), Convert.ToHexString(Usm.LocalizeKey(AuthProtocol.Sha256, privPassword, engine))[..32]),
            (persisted["keysha256"].Auth.ToUpperInvariant(), persisted["keysha256"].Priv.ToUpperInvariant()));
    }

    // usmUser 1 3 0xENGINE "name" "name" NULL .1.3.6.1.6.3.10.1.1.N 0xAUTHKEY .1.3.6.1.6.3.10.1.2.4 0xPRIVKEY ""
    [GeneratedRegex("""^usmUser \d+ \d+ 0x[0-9a-fA-F]+ "(?<name>[^"]+)" "[^"]*" NULL \S+ 0x(?<auth>[0-9a-fA-F]+) \S+ 0x(?<priv>[0-9a-fA-F]+)""", RegexOptions.Multiline)]
    private static partial Regex UsmUserLine();
}
