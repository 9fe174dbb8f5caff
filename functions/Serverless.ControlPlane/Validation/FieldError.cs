namespace Serverless.ControlPlane.Validation;

/// <summary>One problem with one field of a request; <see cref="Field"/> is the JSON path a client sent.</summary>
public sealed record FieldError(string Field, string Message);
