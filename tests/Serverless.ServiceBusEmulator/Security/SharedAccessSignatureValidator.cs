using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Serverless.ServiceBusEmulator.Configuration;

namespace Serverless.ServiceBusEmulator.Security;

/// <summary>
/// Validates Service Bus SAS tokens (<c>SharedAccessSignature sr=..&amp;sig=..&amp;se=..&amp;skn=..</c>): the signature is
/// HMAC-SHA256 over <c>sr + "\n" + se</c> with the named key, the token must not be expired, and its resource must cover
/// the audience the client asks for. A namespace policy covers every entity; an entity policy only its own entity.
/// </summary>
public sealed class SharedAccessSignatureValidator(EmulatorConfig config, TimeProvider time)
{
    private const string Prefix = "SharedAccessSignature ";

    public TokenValidation Validate(string token, string audience)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return TokenValidation.Refused("the token is not a SharedAccessSignature");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in token[Prefix.Length..].Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                fields[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        if (!fields.TryGetValue("sr", out var encodedResource) || !fields.TryGetValue("sig", out var encodedSignature)
            || !fields.TryGetValue("se", out var expiry) || !fields.TryGetValue("skn", out var keyName))
        {
            return TokenValidation.Refused("the token lacks one of sr, sig, se, skn");
        }

        if (!long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var expirySeconds))
        {
            return TokenValidation.Refused("the token's se is not a number");
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(Math.Min(expirySeconds, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        if (expiresAt <= time.GetUtcNow())
        {
            return TokenValidation.Refused("the token has expired");
        }

        var entity = EntityAddress.EntityOfAudience(audience);
        var policy = FindPolicy(Uri.UnescapeDataString(keyName), entity, out var isEntityPolicy);
        if (policy is null)
        {
            return TokenValidation.Refused($"key '{Uri.UnescapeDataString(keyName)}' is not a policy of the namespace or of entity '{entity}'");
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(policy.Key), Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry));
        byte[] actual;
        try
        {
            actual = Convert.FromBase64String(Uri.UnescapeDataString(encodedSignature));
        }
        catch (FormatException)
        {
            return TokenValidation.Refused("the token's signature is not base64");
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return TokenValidation.Refused("the token's signature does not match the key");
        }

        var resourcePath = PathOf(Uri.UnescapeDataString(encodedResource));
        var audiencePath = PathOf(audience);
        if (!audiencePath.StartsWith(resourcePath, StringComparison.OrdinalIgnoreCase))
        {
            return TokenValidation.Refused($"the token's resource does not cover '{audience}'");
        }

        if (isEntityPolicy && resourcePath.Length == 0)
        {
            return TokenValidation.Refused($"key '{policy.KeyName}' belongs to entity '{entity}'; its token must be signed for that entity (EntityPath in the connection string)");
        }

        return new TokenValidation(true, policy.Rights, entity, expiresAt, null);
    }

    private SharedAccessPolicy? FindPolicy(string keyName, string? entity, out bool isEntityPolicy)
    {
        isEntityPolicy = false;
        var namespacePolicy = config.NamespacePolicies.FirstOrDefault(p => p.KeyName == keyName);
        if (namespacePolicy is not null)
        {
            return namespacePolicy;
        }

        isEntityPolicy = true;
        return entity is null
            ? null
            : config.Queues.FirstOrDefault(q => string.Equals(q.Name, entity, StringComparison.OrdinalIgnoreCase))?.Policies.FirstOrDefault(p => p.KeyName == keyName);
    }

    // Compares resources without scheme or port: the client signs "amqps://host/..." and asks for "amqp://host/...".
    private static string PathOf(string uri)
    {
        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd >= 0 ? uri[(schemeEnd + 3)..] : uri;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var path = slash >= 0 ? rest[(slash + 1)..] : string.Empty;
        return path.TrimEnd('/');
    }
}
