namespace Serverless.Testing;

/// <summary>The user signed in to <see cref="TestTokenAuthority"/>'s sign-in page: their directory and app roles.</summary>
public sealed record SignInUser(string Directory, IReadOnlyList<string> Roles);
