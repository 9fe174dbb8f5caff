using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.ControlPlane.Commands;

namespace Serverless.Functions.Tests;

/// <summary>A fake agent's answer to a command: its ids, kind, correlation and trace echoed, as a real agent's result does.</summary>
internal static class AgentAnswer
{
    public static CommandResult To(CommandRequest request, CommandError? error = null, JsonElement? output = null) => new(
        SchemaVersions.Current, request.CommandId, request.TenantId, request.AgentGroup, "agent-1", request.Kind, error is null ? CommandStatus.Succeeded : CommandStatus.Failed,
        output, error, new CommandTimings(request.IssuedAt, request.IssuedAt, request.IssuedAt), request.Correlation, request.Trace);

    public static CommandResult Succeeded<T>(CommandRequest request, T output, JsonTypeInfo<T> info) => To(request, null, JsonSerializer.SerializeToElement(output, info));

    public static CommandResult Failed(CommandRequest request, CommandErrorKind kind, string message) => To(request, new CommandError(kind, message));
}
