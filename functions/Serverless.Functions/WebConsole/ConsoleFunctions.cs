using System.Collections.Frozen;
using System.IO.Compression;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Serverless.Functions.Http;
using Serverless.Functions.OpenApi;

namespace Serverless.Functions.WebConsole;

/// <summary>
/// <c>/api/console/</c>: the web console's static files, built into the app. They are public; the pages call the API
/// with the credential the user signs in with, so nothing here needs a key. Each file is compressed once at start
/// (Brotli and gzip) and sent compressed to a browser that accepts it: Chart.js is 210 KB as it is, 61 KB in Brotli.
/// <c>sign-in.json</c> tells the page what it signs in with, as the API wants it: the Functions key, and in the tenancy
/// modes also a tenant credential, which Entra ID sign-in gets when the console has an app registration.
/// </summary>
public sealed class ConsoleFunctions
{
    private const string ResourcePrefix = "console/";
    private const string SignInFile = "sign-in.json";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, ConsoleFile> Files = Load();

    private readonly ConsoleSignInResponse _signIn;
    private readonly string _contentSecurityPolicy;

    public ConsoleFunctions(IOptions<TenancyOptions> tenancy)
    {
        var options = tenancy.Value;
        var entraId = options is { Mode: TenancyMode.EntraId, EntraId.ConsoleClientId: { Length: > 0 } clientId }
            ? new ConsoleEntraSignIn(
                options.EntraId.Authority.TrimEnd('/'),
                clientId,
                string.IsNullOrWhiteSpace(options.EntraId.ConsoleScope) ? $"{options.EntraId.Audience}/.default" : options.EntraId.ConsoleScope)
            : null;
        _signIn = new ConsoleSignInResponse(options.Mode, entraId);

        // The page reads the authority's metadata and redeems its sign-in code there: the one origin it talks to besides the app.
        var connect = entraId is null ? "'self'" : $"'self' {new Uri(entraId.Authority).GetLeftPart(UriPartial.Authority)}";
        _contentSecurityPolicy = $"default-src 'self'; connect-src {connect}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";
    }

    [Function(FunctionNames.Console)]
    [ApiOperation("The web console's files (HTML, JavaScript, CSS); the path is empty for its page, sign-in.json says how the page may sign in.", ContentType = "text/html", Caller = ApiCaller.Anyone, Problems = [404])]
    public IResult Serve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{*path}")] HttpRequest request,
        string? path)
    {
        var name = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (name == SignInFile)
        {
            request.HttpContext.Response.Headers.CacheControl = "no-cache";
            return TypedResults.Ok(_signIn);
        }

        if (!Files.TryGetValue(name, out var file) || !ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
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
        headers.ContentSecurityPolicy = _contentSecurityPolicy;
        headers.Vary = "Accept-Encoding";
        var (encoding, content) = file.For(request.Headers.AcceptEncoding.ToString());
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }

        return TypedResults.Bytes(content, contentType);
    }

    private static FrozenDictionary<string, ConsoleFile> Load()
    {
        var assembly = typeof(ConsoleFunctions).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[ResourcePrefix.Length..], n => ConsoleFile.Of(Read(assembly, n)), StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A file as it is and compressed; <see cref="For"/> picks what the browser accepts, Brotli first.</summary>
    private sealed record ConsoleFile(byte[] Identity, byte[] Brotli, byte[] Gzip)
    {
        public static ConsoleFile Of(byte[] content) => new(
            content,
            Compress(content, s => new BrotliStream(s, CompressionLevel.SmallestSize)),
            Compress(content, s => new GZipStream(s, CompressionLevel.SmallestSize)));

        public (string? Encoding, byte[] Content) For(string acceptEncoding)
        {
            var accepted = acceptEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(e => e.Split(';', StringSplitOptions.TrimEntries))
                .Where(e => !e.Skip(1).Any(p => p.Replace(" ", string.Empty, StringComparison.Ordinal) is "q=0" or "q=0.0" or "q=0.00" or "q=0.000"))
                .Select(e => e[0].ToLowerInvariant())
                .ToHashSet(StringComparer.Ordinal);
            return accepted.Contains("br") ? ("br", Brotli) : accepted.Contains("gzip") ? ("gzip", Gzip) : (null, Identity);
        }

        private static byte[] Compress(byte[] content, Func<Stream, Stream> compressor)
        {
            using var output = new MemoryStream();
            using (var compressing = compressor(output))
            {
                compressing.Write(content);
            }

            return output.ToArray();
        }
    }
}
