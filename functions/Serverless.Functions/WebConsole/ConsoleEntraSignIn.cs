namespace Serverless.Functions.WebConsole;

/// <summary>What the console's authorization code flow needs: the authority (its metadata names the endpoints), the console's client id and the API scope.</summary>
public sealed record ConsoleEntraSignIn(string Authority, string ClientId, string Scope);
