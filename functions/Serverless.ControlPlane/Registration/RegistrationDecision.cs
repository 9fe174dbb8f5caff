using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;

namespace Serverless.ControlPlane.Registration;

/// <summary>The final answer of a registration, every reason behind a refusal, and the instances a host holds.</summary>
public sealed record RegistrationDecision(
    RegistrationState State,
    IReadOnlyList<string> Reasons,
    IReadOnlyDictionary<string, string> Capabilities,
    IReadOnlyList<HostInstance>? Instances = null)
{
    /// <summary>
    /// Decides from the agent's answer to <c>capabilities.verify</c>: its report, a failure, or no answer in time; then
    /// checks the verified capabilities against what each requested service category needs. Pure and deterministic, so
    /// the orchestrator may call it directly.
    /// </summary>
    public static RegistrationDecision Decide(RegistrationPlan plan, CommandResult result)
    {
        var empty = new Dictionary<string, string>();
        switch (result.Status)
        {
            case CommandStatus.TimedOut:
                return Rejected([$"The zone's agent did not answer the capability verification within {plan.VerificationTimeoutSeconds} seconds: is an agent of zone '{plan.Zone}' running and connected?"], empty);
            case CommandStatus.Expired or CommandStatus.Failed:
                return Rejected([$"The zone's agent could not verify the resource ({result.Error?.Kind.ToString() ?? result.Status.ToString()}): {result.Error?.Message}"], empty);
        }

        CapabilityVerificationResult? report = null;
        try
        {
            report = result.Output?.Deserialize(ContractsJsonContext.Default.CapabilityVerificationResult);
        }
        catch (JsonException)
        {
        }

        if (report is null)
        {
            return Rejected(["The zone's agent answered the verification without a report; is it older than this control plane?"], empty);
        }

        var reasons = new List<string>(report.Problems);
        if (!report.Reachable && reasons.Count == 0)
        {
            reasons.Add("The agent could not reach the resource with the configured endpoint and credentials.");
        }

        if (report.Reachable && plan.Kind == ResourceKind.VirtualizationHost)
        {
            reasons.AddRange(HostShortfalls(plan, report.Capabilities, Version.Parse(plan.MinimumLibvirtVersion)));
        }

        return reasons.Count == 0 ? new(RegistrationState.Registered, [], report.Capabilities, report.Instances ?? []) : Rejected(reasons, report.Capabilities);
    }

    private static IEnumerable<string> HostShortfalls(RegistrationPlan plan, IReadOnlyDictionary<string, string> capabilities, Version minimumLibvirt)
    {
        var library = capabilities.GetValueOrDefault("libvirt.libraryVersion");
        if (!Version.TryParse(library, out var version) || version < minimumLibvirt)
        {
            yield return $"hypervisor too old: the host runs libvirt {library ?? "of an unknown version"}, older than the required {minimumLibvirt}.";
        }

        foreach (var category in plan.ServiceCategories)
        {
            var need = category switch
            {
                "compute" => capabilities.GetValueOrDefault("libvirt.domainTypes") is { Length: > 0 } ? null : "a domain type to run guests",
                "migration" => capabilities.GetValueOrDefault("libvirt.saveRestore") == "true" ? null : "save/restore",
                "quiesce" => capabilities.GetValueOrDefault("libvirt.suspendResume") == "true" ? null : "suspend/resume",
                _ => null,
            };
            if (need is not null)
            {
                yield return $"missing feature: the category '{category}' needs {need}, which the host's driver ({capabilities.GetValueOrDefault("libvirt.driver")}) does not offer.";
            }
        }
    }

    private static RegistrationDecision Rejected(IReadOnlyList<string> reasons, IReadOnlyDictionary<string, string> capabilities) =>
        new(RegistrationState.Rejected, reasons, capabilities);
}
