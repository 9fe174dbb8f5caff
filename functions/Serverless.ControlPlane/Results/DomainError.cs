using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Results;

/// <summary>A domain failure returned as a value, with the field errors that caused it.</summary>
public sealed record DomainError(ErrorKind Kind, string Title, string Detail, IReadOnlyList<FieldError> Fields)
{
    public static DomainError Invalid(IReadOnlyList<FieldError> fields) =>
        new(ErrorKind.Validation, "The request is not valid.", "One or more fields are missing or wrong; see errors.", fields);

    public static DomainError NotFound(string what, string id) =>
        new(ErrorKind.NotFound, $"No such {what}.", $"There is no {what} '{id}'.", []);

    public static DomainError Conflict(string title, string detail) =>
        new(ErrorKind.Conflict, title, detail, []);
}
