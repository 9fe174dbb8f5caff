using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Serverless.ControlPlane.Agents;

namespace Serverless.Functions.Http;

/// <summary>The 401 every agent route answers when the credential does not authenticate; a revoked one says so, so the agent stops.</summary>
public static class AgentRefusals
{
    /// <summary>True with the 401 to answer when the call did not authenticate; otherwise false with the calling agent.</summary>
    public static bool IsRefused(this AgentAuthentication authentication, [NotNullWhen(false)] out AgentIdentity? agent, [NotNullWhen(true)] out IResult? refusal)
    {
        agent = authentication.Agent;
        refusal = agent is null ? Unauthorized(authentication) : null;
        return agent is null;
    }

    private static IResult Unauthorized(AgentAuthentication authentication) => authentication.Revoked
        ? TypedResults.Problem(
            "This credential was revoked and will not work again; the agent should stop. Enrol it again with a new code to bring it back.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "The agent's credential is revoked.",
            type: ProblemTypes.CredentialRevoked)
        : TypedResults.Problem(
            "Send 'Authorization: Bearer sa1.<credential id>.<secret>' with the agent's credential.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "No valid agent credential.",
            type: ProblemTypes.Unauthorized);
}
