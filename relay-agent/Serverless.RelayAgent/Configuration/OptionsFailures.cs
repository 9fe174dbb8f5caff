using System.Text.RegularExpressions;

namespace Serverless.RelayAgent.Configuration;

/// <summary>Configuration failures as an operator reads them: the setting's name, not the options class behind it.</summary>
internal static partial class OptionsFailures
{
    /// <summary>"AgentId: The RelayAgentOptions.AgentId field is required." → "AgentId: The AgentId field is required."</summary>
    public static string Describe(string failure) => OptionsTypePrefix().Replace(failure, string.Empty);

    [GeneratedRegex(@"\b[A-Z]\w*Options\.(?=\w)")]
    private static partial Regex OptionsTypePrefix();
}
