using System.Net;
using Microsoft.Extensions.Options;

namespace Serverless.RelayAgent.Snmp;

/// <summary>Checks every credential at start, so a typo is reported by name before a command needs it.</summary>
public sealed class SnmpAgentOptionsValidator : IValidateOptions<SnmpAgentOptions>
{
    public ValidateOptionsResult Validate(string? name, SnmpAgentOptions options)
    {
        var failures = new List<string>();
        foreach (var (credentialName, credential) in options.Credentials)
        {
            try
            {
                credential.ToTarget(new IPEndPoint(IPAddress.Loopback, SnmpAddress.DefaultPort));
            }
            catch (FormatException exception)
            {
                failures.Add($"{SnmpAgentOptions.SectionName}:Credentials:{credentialName}: {exception.Message}");
            }
        }

        if (options.ProfilesPath is { Length: > 0 } path && !Directory.Exists(path))
        {
            failures.Add($"{SnmpAgentOptions.SectionName}:ProfilesPath: the folder '{path}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
