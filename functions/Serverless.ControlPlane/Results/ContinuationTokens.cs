using System.Buffers.Text;
using System.Text;

namespace Serverless.ControlPlane.Results;

/// <summary>
/// Continuation tokens for listings: the token is the last key returned, encoded so it is opaque in URLs.
/// Paging by key rather than by a storage SDK's token keeps pages stable, tokens small and validation ours.
/// </summary>
public static class ContinuationTokens
{
    public static string Encode(string lastKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastKey));

    public static bool TryDecode(string? token, out string? lastKey)
    {
        lastKey = null;
        if (token is null)
        {
            return true;
        }

        if (token.Length is 0 or > 1024)
        {
            return false;
        }

        try
        {
            lastKey = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
