namespace Serverless.ControlPlane.Results;

/// <summary>The kinds of domain failure; each maps to one HTTP status and problem type.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    PreconditionFailed,
}
