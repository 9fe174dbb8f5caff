using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.WebConsole;

/// <summary>
/// <c>/api/console/</c>: the web console's static files, built into the app. They are public; the pages call the API
/// with the credential the user signs in with, so nothing here needs a key.
/// </summary>
public sealed class ConsoleFunctions
{
    private const string ResourcePrefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, byte[]> Files = Load();

    [Function(FunctionNames.Console)]
    [ApiOperation("The web console's files (HTML, JavaScript, CSS); the path is empty for its page.", ContentType = "text/html", Caller = ApiCaller.Anyone, Problems = [404])]
    public static IResult Serve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{*path}")] HttpRequest request,
        string? path)
    {
        var name = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (!Files.TryGetValue(name, out var content) || !ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
        {
            return ApiResults.NotFound("console file", name);
        }

        // The page's links are relative: /api/console (no slash) would resolve them against /api/.
        if (string.IsNullOrEmpty(path) && !request.Path.Value!.EndsWith('/'))
        {
            return TypedResults.Redirect($"{request.PathBase}{request.Path}/");
        }

        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = name == "index.html" ? "no-cache" : "public, max-age=300";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";
        return TypedResults.Bytes(content, contentType);
    }

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(ConsoleFunctions).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[ResourcePrefix.Length..], n => Read(assembly, n), StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
