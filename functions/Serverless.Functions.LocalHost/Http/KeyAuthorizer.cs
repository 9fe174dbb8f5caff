using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Serverless.Functions.LocalHost.Http;

/// <summary>Function and admin keys as the Functions host checks them: header <c>x-functions-key</c> or query <c>code</c>.</summary>
internal sealed class KeyAuthorizer(IOptions<LocalHostOptions> options)
{
    public const string KeyHeader = "x-functions-key";

    public bool IsAuthorized(HttpRequest request, string authLevel)
    {
        if (string.Equals(authLevel, "Anonymous", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var presented = request.Headers[KeyHeader].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var master = options.Value.MasterKey;
        if (Matches(presented, master))
        {
            return true;
        }

        return string.Equals(authLevel, "Function", StringComparison.OrdinalIgnoreCase) && Matches(presented, options.Value.FunctionKey);
    }

    private static bool Matches(string presented, string? expected) =>
        !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
