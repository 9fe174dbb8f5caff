namespace Serverless.Functions.Registration;

public sealed record RegistrationProgress(string Step);
