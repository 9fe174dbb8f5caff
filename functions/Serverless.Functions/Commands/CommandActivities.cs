using Microsoft.Azure.Functions.Worker;
using Serverless.ControlPlane.Commands;

namespace Serverless.Functions.Commands;

/// <summary>The side effect of sending a command; safe to retry, since the command id is fixed by the orchestration.</summary>
public sealed class CommandActivities(CommandService commands)
{
    [Function(FunctionNames.SendCommand)]
    public async Task<DateTimeOffset> SendAsync([ActivityTrigger] CommandRequest request, CancellationToken cancellationToken)
    {
        var command = await commands.SendAsync(request, cancellationToken);
        return command.Deadline;
    }
}
