using System.Text.Json;
using Serverless.Contracts.Commands;

namespace Serverless.ControlPlane.Commands;

/// <summary>How a command's result reads in a reason or a note: its error kind and message, or what the agent answered.</summary>
public static class CommandResults
{
    public static string Describe(CommandResult result) => result.Error is { } error
        ? $"{JsonNamingPolicy.CamelCase.ConvertName(error.Kind.ToString())}: {error.Message}"
        : $"the agent answered {JsonNamingPolicy.CamelCase.ConvertName(result.Status.ToString())} without a readable result";
}
