using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Results;

/// <summary>The paging parameters every listing accepts, checked the same way everywhere.</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>Null when both are usable, with the key to list after; otherwise the validation error naming them.</summary>
    public static DomainError? Check(int? pageSize, string? continuationToken, out string? afterKey)
    {
        var errors = new List<FieldError>();
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add(new FieldError("pageSize", $"must be between 1 and {MaxPageSize}."));
        }

        if (!ContinuationTokens.TryDecode(continuationToken, out afterKey))
        {
            errors.Add(new FieldError("continuationToken", "is not a token this API returned."));
        }

        return errors.Count > 0 ? DomainError.Invalid(errors) : null;
    }
}
