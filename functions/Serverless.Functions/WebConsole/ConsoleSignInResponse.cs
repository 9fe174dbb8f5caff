using Serverless.Functions.Http;

namespace Serverless.Functions.WebConsole;

/// <summary>
/// How the console may sign in: the Functions key always; a tenant credential too unless <paramref name="Tenancy"/> is
/// the default tenant; and Entra ID sign-in (<paramref name="EntraId"/>) when the console has an app registration.
/// </summary>
public sealed record ConsoleSignInResponse(TenancyMode Tenancy, ConsoleEntraSignIn? EntraId);
