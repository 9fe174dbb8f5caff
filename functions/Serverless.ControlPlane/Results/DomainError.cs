using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Results;

/// <summary>A domain failure returned as a value, with the field errors that caused it.</summary>
public sealed record DomainError(ErrorKind Kind, string Title, string Detail, IReadOnlyList<FieldError> Fields)
{
    /// <summary>For <see cref="ErrorKind.Conflict"/>: what stands in the way, when it can be named.</summary>
    public IReadOnlyList<BlockingItem> BlockingItems { get; init; } = [];

    public static DomainError Invalid(IReadOnlyList<FieldError> fields) =>
        new(ErrorKind.Validation, "The request is not valid.", "One or more fields are missing or wrong; see errors.", fields);

    public static DomainError NotFound(string what, string id) =>
        new(ErrorKind.NotFound, $"No such {what}.", $"There is no {what} '{id}'.", []);

    public static DomainError Conflict(string title, string detail) =>
        new(ErrorKind.Conflict, title, detail, []);

    public static DomainError Blocked(string title, string detail, IReadOnlyList<BlockingItem> items) =>
        new(ErrorKind.Conflict, title, detail, []) { BlockingItems = items };

    /// <summary>An <c>If-Match</c> that no longer matches: someone changed the object since the caller read it.</summary>
    public static DomainError Stale(string what, string id) =>
        new(ErrorKind.PreconditionFailed, $"The {what} has changed.", $"The {what} '{id}' was changed since the ETag given in If-Match; read it again and retry.", []);
}
