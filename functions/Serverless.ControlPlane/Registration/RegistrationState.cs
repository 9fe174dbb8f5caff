using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Registration;

[JsonConverter(typeof(CamelCaseEnumConverter<RegistrationState>))]
public enum RegistrationState
{
    /// <summary>Accepted; the zone's agent has been asked to test the resource.</summary>
    Verifying,

    /// <summary>Verified and admitted; services may place work on it.</summary>
    Registered,

    /// <summary>Refused; <see cref="ResourceRegistration.Reasons"/> says why.</summary>
    Rejected,

    /// <summary>Being drained and released; services place no new work on it.</summary>
    Unregistering,

    /// <summary>Released; the record stays for history and the name may be registered again.</summary>
    Unregistered,
}
