using Microsoft.AspNetCore.Http;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Validation;

namespace Serverless.Functions.Http;

/// <summary>Turns domain errors into RFC 7807 problem responses with a stable type per kind.</summary>
public static class ApiResults
{
    public static IResult Problem(DomainError error) => error.Kind switch
    {
        ErrorKind.Validation => Invalid(error.Title, error.Detail, error.Fields),
        ErrorKind.NotFound => TypedResults.Problem(error.Detail, statusCode: StatusCodes.Status404NotFound, title: error.Title, type: ProblemTypes.NotFound),
        ErrorKind.Conflict => TypedResults.Problem(
            error.Detail,
            statusCode: StatusCodes.Status409Conflict,
            title: error.Title,
            type: ProblemTypes.Conflict,
            extensions: error.BlockingItems.Count == 0 ? null : new Dictionary<string, object?> { ["blockingItems"] = error.BlockingItems }),
        ErrorKind.PreconditionFailed => TypedResults.Problem(
            error.Detail, statusCode: StatusCodes.Status412PreconditionFailed, title: error.Title, type: ProblemTypes.PreconditionFailed),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error.Kind, "Unknown error kind."),
    };

    public static IResult Invalid(string title, string detail, IEnumerable<FieldError> fields, string type = ProblemTypes.Validation) =>
        TypedResults.ValidationProblem(
            fields.GroupBy(f => f.Field).ToDictionary(g => g.Key, g => g.Select(f => f.Message).ToArray()),
            detail,
            title: title,
            type: type);

    public static IResult NotFound(string what, string id) => Problem(DomainError.NotFound(what, id));

    /// <summary>200 with the body and its version in <c>ETag</c>, for callers to send back in <c>If-Match</c>.</summary>
    public static IResult OkWithETag<T>(T body, string? etag) => new ETagged(TypedResults.Ok(body), etag);

    /// <summary>201 with the new object's address, its body and its version in <c>ETag</c>.</summary>
    public static IResult CreatedWithETag<T>(string location, T body, string? etag) => new ETagged(TypedResults.Created(location, body), etag);

    /// <summary>The <c>If-Match</c> header, or null when the caller sent none.</summary>
    public static string? IfMatch(HttpRequest request) => request.Headers.IfMatch is { Count: > 0 } values ? values.ToString() : null;

    private sealed class ETagged(IResult inner, string? etag) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (!string.IsNullOrEmpty(etag))
            {
                httpContext.Response.Headers.ETag = etag;
            }

            return inner.ExecuteAsync(httpContext);
        }
    }
}
