namespace Serverless.Functions.OpenApi;

/// <summary>Who may call an operation; each maps to the security requirements of the OpenAPI document.</summary>
public enum ApiCaller
{
    /// <summary>A tenant's client: the Functions key and the tenant's credential (API key or Entra ID token).</summary>
    Tenant,

    /// <summary>An operator with the Functions host's master key.</summary>
    Admin,

    /// <summary>A relay agent with its own credential.</summary>
    Agent,

    /// <summary>Anyone: health, the OpenAPI document, and enrolment (which carries its one-time code in the body).</summary>
    Anyone,
}
