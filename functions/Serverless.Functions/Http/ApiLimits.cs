namespace Serverless.Functions.Http;

public static class ApiLimits
{
    /// <summary>Largest request body accepted; larger ones get 413 before they are read.</summary>
    public const int MaxRequestBodyBytes = 64 * 1024;
}
