using System.Text.Json;
using Serverless.Contracts.Commands;

namespace Serverless.RelayAgent.Execution;

/// <summary>
/// What the agent group has done, kept in the Service Bus session state so it survives failover: per idempotency key,
/// that a command started, and its result once it finished. A repeated command gets the recorded result; a command
/// found started but unfinished (its agent died) is not run again but reported as interrupted. Bounded: entries leave
/// ten minutes after their deadline, and at most <see cref="MaxEntries"/> are kept.
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

    public int Count => _entries.Count;

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

    public Entry? Find(string idempotencyKey) => _entries.GetValueOrDefault(idempotencyKey);

    public void MarkStarted(CommandEnvelope command, DateTimeOffset at) =>
        _entries[command.IdempotencyKey] = new Entry(command.IdempotencyKey, command.CommandId, command.Deadline, at, null);

    public void MarkCompleted(CommandEnvelope command, DateTimeOffset startedAt, CommandResult result) =>
        _entries[command.IdempotencyKey] = new Entry(command.IdempotencyKey, command.CommandId, command.Deadline, startedAt, result);

    public BinaryData ToBinary(DateTimeOffset now)
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

    /// <summary>One command's record; <see cref="Result"/> is null while it runs.</summary>
    public sealed record Entry(string Key, string CommandId, DateTimeOffset Deadline, DateTimeOffset StartedAt, CommandResult? Result);

    /// <summary>The stored form.</summary>
    public sealed record Snapshot(int Version, List<Entry> Entries);
}
