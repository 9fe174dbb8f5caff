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
        ErrorKind.Conflict => TypedResults.Problem(error.Detail, statusCode: StatusCodes.Status409Conflict, title: error.Title, type: ProblemTypes.Conflict),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error.Kind, "Unknown error kind."),
    };

    public static IResult Invalid(string title, string detail, IEnumerable<FieldError> fields, string type = ProblemTypes.Validation) =>
        TypedResults.ValidationProblem(
            fields.GroupBy(f => f.Field).ToDictionary(g => g.Key, g => g.Select(f => f.Message).ToArray()),
            detail,
            title: title,
            type: type);

    public static IResult NotFound(string what, string id) => Problem(DomainError.NotFound(what, id));
}
