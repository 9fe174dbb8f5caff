using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Serverless.RelayAgent.Snmp;

/// <summary>How the agent speaks SNMP (section <c>RelayAgent:Snmp</c>): named credentials, profiles, timing.</summary>
public sealed class SnmpAgentOptions
{
    public const string SectionName = "RelayAgent:Snmp";

    /// <summary>Credentials by name; commands refer to them by name only.</summary>
    public Dictionary<string, SnmpCredentialOptions> Credentials { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A folder of the operator's device profiles (<c>*.json</c>), loaded besides the shipped ones; a profile with a shipped profile's name replaces it.</summary>
    public string? ProfilesPath { get; set; }

    /// <summary>How long each try waits for an answer, unless a command says otherwise.</summary>
    [Range(50, 60_000)]
    public int TimeoutMilliseconds { get; set; } = 1000;

    /// <summary>How often a request is sent again after a try times out, unless a command says otherwise.</summary>
    [Range(0, 10)]
    public int Retries { get; set; } = 2;

    /// <summary>The most OIDs <c>metrics.poll</c> puts in one GET.</summary>
    [Range(1, 100)]
    public int MaxOidsPerRequest { get; set; } = 48;

    /// <summary>How many devices <c>metrics.poll</c> reads at the same time.</summary>
    [Range(1, 1024)]
    public int PollParallelism { get; set; } = 64;
}

/// <summary>The ranges above, checked by generated code rather than reflection, so they hold in the native build too.</summary>
[OptionsValidator]
internal sealed partial class SnmpAgentOptionsRanges : IValidateOptions<SnmpAgentOptions>;
