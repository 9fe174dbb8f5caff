namespace Serverless.Functions.LocalHost.Http;

/// <summary>The host's own error answers, as problem+json like the app's.</summary>
internal static class HostProblems
{
    public static IResult Unauthorized() => TypedResults.Problem(
        "Send a valid key in the x-functions-key header or the code query parameter.",
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Missing or wrong key.");

    public static IResult NotFound(string path) => TypedResults.Problem(
        $"Nothing is served at '{path}'.",
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found.");

    public static IResult Failed(string invocationId) => TypedResults.Problem(
        $"The function failed; see the host log for invocation {invocationId}.",
        statusCode: StatusCodes.Status500InternalServerError,
        title: "Function failed.");
}
