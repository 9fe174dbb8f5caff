using System.Diagnostics.CodeAnalysis;

namespace Serverless.ControlPlane.Results;

/// <summary>Either a value or a <see cref="DomainError"/>; expected failures travel as values, not exceptions.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, DomainError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public DomainError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static Outcome<T> Success(T value) => new(value, null);

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(DomainError error) => new(default, error);
}
