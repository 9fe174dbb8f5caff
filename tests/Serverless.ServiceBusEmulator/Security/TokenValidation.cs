using Serverless.ServiceBusEmulator.Configuration;

namespace Serverless.ServiceBusEmulator.Security;

/// <summary>The outcome of checking one token: the rights it grants on one entity (or the namespace), or why not.</summary>
public sealed record TokenValidation(bool IsValid, AccessRights Rights, string? Entity, DateTimeOffset ExpiresAt, string? Reason)
{
    public static TokenValidation Refused(string reason) => new(false, AccessRights.None, null, default, reason);
}
