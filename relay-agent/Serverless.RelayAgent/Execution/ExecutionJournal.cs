using System.Globalization;
using Microsoft.Extensions.Options;
using Serverless.Contracts.Commands;

namespace Serverless.RelayAgent.Execution;

/// <summary>
/// An append-only file with one line per command this agent actually executed (replays of recorded results are not
/// executions): when it started, its id, idempotency key and kind, and when the control plane issued it. Operators use
/// it to audit; tests use it to prove each command ran once across failovers, and how many were in flight at once.
/// </summary>
public sealed class ExecutionJournal(IOptions<RelayAgentOptions> options)
{
    private readonly Lock _gate = new();

    public void Append(CommandEnvelope command, DateTimeOffset at)
    {
        if (options.Value.JournalPath is not { Length: > 0 } path)
        {
            return;
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"{at:O}\t{command.CommandId}\t{command.IdempotencyKey}\t{command.Kind}\t{command.IssuedAt:O}\n");
        lock (_gate)
        {
            File.AppendAllText(path, line);
        }
    }
}
