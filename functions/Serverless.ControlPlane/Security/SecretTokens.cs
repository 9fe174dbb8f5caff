using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Serverless.ControlPlane.Security;

/// <summary>
/// The one shape of every secret this control plane hands out (agent credentials <c>sa1.</c>, enrolment codes
/// <c>en1.</c>, tenant keys <c>tk1.</c>): <c>prefix + id + "." + secret</c>, a 128-bit hex id to look the record up
/// and 256 random bits of secret, of which only a SHA-256 hash is stored and compared in constant time.
/// </summary>
public static class SecretTokens
{
    /// <summary>A new id, secret and the token that carries both (shown once).</summary>
    public static (string Id, string Secret, string Token) New(string prefix)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (id, secret, $"{prefix}{id}.{secret}");
    }

    /// <summary>Splits a token of this prefix; false for anything of another shape.</summary>
    public static bool TryParse(string prefix, string? token, [NotNullWhen(true)] out string? id, [NotNullWhen(true)] out string? secret)
    {
        (id, secret) = (null, null);
        if (token is null || !token.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (token[prefix.Length..].Split('.') is not [{ Length: 32 } parsedId, { Length: > 0 and <= 64 } parsedSecret])
        {
            return false;
        }

        (id, secret) = (parsedId, parsedSecret);
        return true;
    }

    /// <summary>The token of an <c>Authorization: Bearer …</c> header, or null.</summary>
    public static string? Bearer(string? authorizationHeader)
    {
        const string scheme = "Bearer ";
        return authorizationHeader is not null && authorizationHeader.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            ? authorizationHeader[scheme.Length..].Trim()
            : null;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="storedHash"/>, in constant time.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));
}
