using System.Text.Json;
using Serverless.Contracts;
using Serverless.Contracts.Commands;
using Serverless.Contracts.Instances;
using Serverless.ControlPlane.Commands;
using Serverless.ControlPlane.Results;

namespace Serverless.ControlPlane.Registration;

/// <summary>
/// How an unregistration ended: <see cref="Unregistered"/>, or refused with the resource left registered. Stopped lists
/// each drained instance with its final state; Notes say what happened and what could not be confirmed.
/// </summary>
public sealed record UnregistrationOutcome(bool Unregistered, IReadOnlyList<InstanceStopOutput> Stopped, IReadOnlyList<string> Notes)
{
    /// <summary>When it did not unregister because the resource is in use: what uses it.</summary>
    public IReadOnlyList<BlockingItem>? BlockingItems { get; init; }

    /// <summary>The resource changed between the request and the start of the work (another caller got there first).</summary>
    public static UnregistrationOutcome Superseded(UnregistrationPlan plan) =>
        new(false, [], [$"The resource '{plan.ResourceId}' changed after this unregistration was requested; read it again and retry."]);

    /// <summary>
    /// Reads the agent's answers to the drain's <c>instance.stop</c> commands, in the plan's order. Null when every
    /// instance is off; otherwise the refusal, naming each instance that is not. Pure, so orchestrators may call it.
    /// </summary>
    public static UnregistrationOutcome? FromDrain(UnregistrationPlan plan, IReadOnlyList<CommandResult> results, out IReadOnlyList<InstanceStopOutput> stopped)
    {
        var off = new List<InstanceStopOutput>();
        var failures = new List<string>();
        for (var i = 0; i < plan.Drain.Count; i++)
        {
            var result = results[i];
            if (result.Status == CommandStatus.Succeeded && Read(result) is { } output)
            {
                off.Add(output);
                if (output.State is not (InstanceState.ShutOff or InstanceState.Crashed))
                {
                    failures.Add($"instance '{plan.Drain[i]}' is still {JsonNamingPolicy.CamelCase.ConvertName(output.State.ToString())} after the stop.");
                }
            }
            else
            {
                failures.Add($"instance '{plan.Drain[i]}' could not be stopped: {CommandResults.Describe(result)}");
            }
        }

        stopped = off;
        return failures.Count == 0
            ? null
            : new UnregistrationOutcome(false, off, ["The drain did not finish; the resource stays registered.", .. failures]);
    }

    /// <summary>
    /// Reads the agent's answers to the deactivations of the pool members on the resource, in the plan's order. Null when
    /// every member is out of service; otherwise the refusal naming each that is not.
    /// </summary>
    public static UnregistrationOutcome? FromMemberDrain(UnregistrationPlan plan, IReadOnlyList<CommandResult> results)
    {
        var members = plan.Members ?? [];
        var failures = members
            .Select((member, i) => (member, result: results[i]))
            .Where(x => x.result.Status != CommandStatus.Succeeded)
            .Select(x => $"pool '{x.member.PoolId}' member '{x.member.MemberId}' could not be taken out of service: {CommandResults.Describe(x.result)}")
            .ToList();
        return failures.Count == 0 ? null : new UnregistrationOutcome(false, [], ["The drain did not finish; the resource stays registered.", .. failures]);
    }

    /// <summary>The resource is released; the agent's answer to <c>resource.uninstall</c> says what it let go of.</summary>
    public static UnregistrationOutcome Completed(IReadOnlyList<InstanceStopOutput> stopped, CommandResult uninstall, int membersDrained = 0)
    {
        var notes = new List<string>();
        if (membersDrained > 0)
        {
            notes.Add($"Took {membersDrained} pool member(s) out of service; their pools keep them, unusable until the resource is registered again.");
        }

        if (stopped.Count > 0)
        {
            notes.Add($"Drained {stopped.Count} instance(s): {string.Join(", ", stopped.Select(s => s.Forced ? $"{s.Name} (forced off)" : s.Name))}.");
        }

        if (uninstall.Status == CommandStatus.Succeeded)
        {
            var released = uninstall.Output?.Deserialize(ContractsJsonContext.Default.ResourceUninstallOutput)?.Released ?? [];
            notes.Add(released.Count == 0 ? "The agent held nothing for the resource." : $"The agent released: {string.Join("; ", released)}.");
        }
        else
        {
            notes.Add($"The agent did not confirm the uninstall ({CommandResults.Describe(uninstall)}); it is told nothing more about this resource.");
        }

        return new UnregistrationOutcome(true, stopped, notes);
    }

    /// <summary>
    /// Checks the host's own report (<c>instance.list</c>) against the plan, which was made from records. Unforced: any
    /// instance the host runs refuses the unregistration, naming it. Forced: everything the host runs is drained,
    /// whatever the records said. A host that cannot be asked leaves the decision to the records, and says so.
    /// </summary>
    public static HostCheck CheckHost(UnregistrationPlan plan, CommandResult report)
    {
        InstanceListOutput? listed = null;
        if (report.Status == CommandStatus.Succeeded)
        {
            try
            {
                listed = report.Output?.Deserialize(ContractsJsonContext.Default.InstanceListOutput);
            }
            catch (JsonException)
            {
                listed = null;
            }
        }

        if (listed is null)
        {
            return new HostCheck(null, plan, null, $"The host could not be asked for its instances ({CommandResults.Describe(report)}); the recorded states decided.");
        }

        var active = listed.Instances.Where(i => i.State is not (InstanceState.ShutOff or InstanceState.Crashed)).ToList();
        if (plan.Force || active.Count == 0)
        {
            return new HostCheck(null, plan with { Drain = [.. active.Select(i => i.Name)] }, listed.Instances, null);
        }

        var refusal = new UnregistrationOutcome(
            false,
            [],
            [$"The host holds {active.Count} instance(s) that are not off: {string.Join(", ", active.Select(i => $"{i.Name} ({Words(i.State)})"))}; stop them, or unregister with ?force=true to stop them first."])
        {
            BlockingItems = [.. active.Select(i => new BlockingItem("instance", i.Name, $"is {Words(i.State)} on '{plan.ResourceId}' (reported by the host)."))],
        };
        return new HostCheck(refusal, plan, listed.Instances, null);
    }

    private static string Words(InstanceState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());

    private static InstanceStopOutput? Read(CommandResult result)
    {
        try
        {
            return result.Output?.Deserialize(ContractsJsonContext.Default.InstanceStopOutput);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
