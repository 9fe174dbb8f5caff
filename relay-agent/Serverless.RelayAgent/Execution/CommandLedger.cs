using System.Text.Json;
using Serverless.Contracts.Commands;

namespace Serverless.RelayAgent.Execution;

/// <summary>
/// What the agent group has done, kept in the Service Bus session state so it survives failover: per idempotency key,
/// that a command started, its result once it finished, and that the control plane took that result. A repeated
/// command gets the recorded result; one whose result the control plane already took is only acknowledged (the control
/// plane stores a result before taking it, and looks there before it sends a command again); a command found started
/// but unfinished (its agent died) is not run again but reported as interrupted. Bounded: entries leave ten minutes
/// after their deadline, at most <see cref="MaxEntries"/> are kept, and a result the control plane took is kept as its
/// status alone, so the state is written twice per command at a size set by the results still being reported (a full
/// ledger of kept results was half a megabyte, more than a Standard namespace's 256 KB message limit).
/// The session loop and the background reports share it, so every access takes its lock.
/// </summary>
public sealed class CommandLedger
{
    public const int MaxEntries = 512;
    private const int FormatVersion = 1;
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);
    private readonly Dictionary<string, Entry> _entries;

    private CommandLedger(IEnumerable<Entry> entries)
    {
        _entries = entries.ToDictionary(e => e.Key, StringComparer.Ordinal);
    }

    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    public static CommandLedger Load(BinaryData? state)
    {
        if (state is null || state.ToMemory().Length == 0)
        {
            return new CommandLedger([]);
        }

        var snapshot = JsonSerializer.Deserialize(state.ToMemory().Span, AgentJsonContext.Default.Snapshot);
        return snapshot is { Version: FormatVersion }
            ? new CommandLedger(snapshot.Entries)
            : throw new InvalidDataException($"The session state holds ledger format {snapshot?.Version}; this agent reads format {FormatVersion}.");
    }

    public Entry? Find(string idempotencyKey)
    {
        lock (_entries)
        {
            return _entries.GetValueOrDefault(idempotencyKey);
        }
    }

    public void MarkStarted(CommandEnvelope command, DateTimeOffset at) =>
        Set(new Entry(command.IdempotencyKey, command.CommandId, command.Deadline, at, null));

    public void MarkCompleted(CommandEnvelope command, DateTimeOffset startedAt, CommandResult result) =>
        Set(new Entry(command.IdempotencyKey, command.CommandId, command.Deadline, startedAt, result));

    /// <summary>
    /// The control plane took the result: from the next write on the entry keeps only its status. Not written by itself:
    /// until the next write a redelivery finds the whole result and posts it again, which the control plane absorbs.
    /// </summary>
    public void MarkReported(string idempotencyKey)
    {
        lock (_entries)
        {
            if (_entries.GetValueOrDefault(idempotencyKey) is { Result: { } result } entry)
            {
                _entries[idempotencyKey] = entry with { Result = null, ReportedStatus = result.Status };
            }
        }
    }

    public BinaryData ToBinary(DateTimeOffset now)
    {
        lock (_entries)
        {
            foreach (var stale in _entries.Values.Where(e => e.Deadline + Retention < now).ToList())
            {
                _entries.Remove(stale.Key);
            }

            foreach (var oldest in _entries.Values.OrderBy(e => e.StartedAt).Take(Math.Max(0, _entries.Count - MaxEntries)).ToList())
            {
                _entries.Remove(oldest.Key);
            }

            return BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(new Snapshot(FormatVersion, [.. _entries.Values]), AgentJsonContext.Default.Snapshot));
        }
    }

    private void Set(Entry entry)
    {
        lock (_entries)
        {
            _entries[entry.Key] = entry;
        }
    }

    /// <summary>
    /// One command's record: running while neither <see cref="Result"/> nor <see cref="ReportedStatus"/> is set; finished
    /// with its result; or finished and taken by the control plane, with its status alone.
    /// </summary>
    public sealed record Entry(string Key, string CommandId, DateTimeOffset Deadline, DateTimeOffset StartedAt, CommandResult? Result, CommandStatus? ReportedStatus = null);

    /// <summary>The stored form.</summary>
    public sealed record Snapshot(int Version, List<Entry> Entries);
}
