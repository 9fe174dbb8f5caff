using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Microsoft.Extensions.Logging;
using Serverless.ServiceBusEmulator.Security;

namespace Serverless.ServiceBusEmulator.Amqp;

/// <summary>
/// <c>$cbs</c>: the client puts a SAS token before each link. A valid token is remembered on the connection with the
/// rights of its key; the answer uses CBS's <c>status-code</c> (an int) so the client can map 401 to unauthorized.
/// </summary>
internal sealed class CbsProcessor(SharedAccessSignatureValidator validator, ConnectionRegistry connections, ILogger logger) : IRequestProcessor
{
    public int Credit => 100;

    public void Process(RequestContext requestContext)
    {
        var request = requestContext.Message;
        var operation = request.ApplicationProperties?["operation"] as string;
        var audience = request.ApplicationProperties?["name"] as string;
        var token = request.Body as string;
        var state = connections.StateOf(requestContext.Link.Session.Connection);
        if (operation != "put-token" || audience is null || token is null)
        {
            Reply(requestContext, 400, "put-token needs operation, name and a string token");
            return;
        }

        var validation = validator.Validate(token, audience);
        if (!validation.IsValid)
        {
            Logs.TokenRefused(logger, state.Number, audience, validation.Reason);
            Reply(requestContext, 401, validation.Reason ?? "unauthorized");
            return;
        }

        state.AddClaim(validation);
        Logs.TokenAccepted(logger, state.Number, audience, validation.Rights.ToString());
        Reply(requestContext, 202, "Accepted");
    }

    private static void Reply(RequestContext context, int status, string description)
    {
        context.Complete(new Message
        {
            ApplicationProperties = new ApplicationProperties { ["status-code"] = status, ["status-description"] = description },
        });
    }
}
