using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.ControlPlane.Instances;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Placement;
using Serverless.ControlPlane.Pools;
using Serverless.ControlPlane.Registration;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Stacks;

/// <summary>
/// Stacks: plans (by <see cref="StackPlanner"/>, the code the rollout executes), the start of every run (apply,
/// retry, rollback, continue-rollback, delete; one at a time per stack, written conditionally), the journal the rollout
/// writes before and after each step, and what each step needs from the instance and pool services.
/// </summary>
public sealed class StackService(
    IStackStore stacks,
    InstanceService instances,
    IResourceStore resources,
    IPoolStore pools,
    PoolService poolService,
    IOptions<PlacementOptions> placement,
    TimeProvider clock)
{
    /// <summary>The longest stack name: its instance names start with it.</summary>
    public const int MaxStackNameLength = 24;

    /// <summary>The largest template accepted, as JSON text.</summary>
    public const int MaxTemplateLength = 30_000;

    public async Task<Outcome<StackPlan>> PlanAsync(string tenantId, string name, StackPlanRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        ValidateName(name, errors);
        if (request.Template is not { } template)
        {
            errors.Add(new FieldError("template", "is required: the stack template as a JSON object."));
        }
        else if (template.GetRawText().Length > MaxTemplateLength)
        {
            errors.Add(new FieldError("template", $"is longer than {MaxTemplateLength} characters of JSON."));
        }

        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        var record = await stacks.GetAsync(tenantId, name, cancellationToken);
        var version = record?.Version ?? 0;
        var planned = await ComputeAsync(tenantId, name, request.Template!.Value, request.Parameters, version + 1, cancellationToken);
        if (!planned.Succeeded)
        {
            return planned.Error;
        }

        var plan = new StackPlan
        {
            TenantId = tenantId,
            Stack = name,
            PlanId = OperationIds.NewOperationId(),
            Template = request.Template.Value.Clone(),
            Parameters = request.Parameters ?? new Dictionary<string, JsonElement>(),
            BasedOnVersion = version,
            Steps = planned.Value.Steps,
            CreatedAt = clock.GetUtcNow(),
        };
        if (record is null)
        {
            var now = clock.GetUtcNow();
            await stacks.TryAddAsync(new StackRecord { TenantId = tenantId, Name = name, Status = StackStatus.New, Version = 0, CreatedAt = now, UpdatedAt = now }, cancellationToken);
        }

        await stacks.AddPlanAsync(plan, cancellationToken);
        return plan;
    }

    public async Task<Outcome<StackPlan>> GetPlanAsync(string tenantId, string name, string planId, CancellationToken cancellationToken) =>
        await stacks.GetPlanAsync(tenantId, name, planId, cancellationToken) is { } plan ? plan : DomainError.NotFound("plan", planId);

    /// <summary>
    /// Starts the rollout of a plan. Refused (409) while another run is under way, when the stack changed since the plan
    /// (another run) or when a plan made now would differ (capacity taken, a host gone), naming each difference. The same
    /// apply sent again while its rollout runs answers that rollout.
    /// </summary>
    public async Task<Outcome<StackRun>> ApplyAsync(string tenantId, string name, string planId, CancellationToken cancellationToken)
    {
        var plan = await stacks.GetPlanAsync(tenantId, name, planId, cancellationToken);
        var record = await stacks.GetAsync(tenantId, name, cancellationToken);
        if (plan is null || record is null)
        {
            return DomainError.NotFound("plan", planId);
        }

        if (record.IsBusy && record.PlanId == planId && record.RunKind == StackRunKind.Apply && record.Version == plan.BasedOnVersion + 1)
        {
            return RunOf(record, plan);
        }

        if (record.IsBusy)
        {
            return Busy(record);
        }

        if (record.Version != plan.BasedOnVersion)
        {
            return DomainError.Conflict(
                "The stack changed since the plan.",
                $"The plan was made at version {plan.BasedOnVersion} of '{name}'; it is at version {record.Version} now ({Words(record.Status)}{(record.OperationId is null ? string.Empty : $", operation {record.OperationId}")}). Make a new plan.");
        }

        var now = await ComputeAsync(tenantId, name, plan.Template, plan.Parameters, plan.BasedOnVersion + 1, cancellationToken);
        if (!now.Succeeded)
        {
            return DomainError.Conflict("The plan cannot be carried out any more.", $"A plan made now fails: {string.Join("; ", now.Error.Fields.Select(f => $"{f.Field}: {f.Message}"))}");
        }

        var differences = Differences(plan.Steps, now.Value.Steps);
        if (differences.Count > 0)
        {
            return DomainError.Blocked(
                "The capacity the plan counted on changed.",
                $"A plan made now differs in {differences.Count} item(s): {string.Join("; ", differences.Select(d => d.Detail))}. Make a new plan.",
                differences);
        }

        var started = await StartRunAsync(record, StackRunKind.Apply, StackStatus.RollingOut, now.Value.Template.OnFailure, planId, [], cancellationToken);
        if (!started.Succeeded)
        {
            return started.Error;
        }

        await stacks.MarkPlanAppliedAsync(tenantId, name, planId, started.Value.OperationId!, cancellationToken);
        return RunOf(started.Value, plan);
    }

    /// <summary>After a rollout that failed and kept its work: plans the same template again and runs only what is not done.</summary>
    public async Task<Outcome<StackRun>> RetryAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var idle = await IdleAsync(tenantId, name, cancellationToken);
        if (!idle.Succeeded)
        {
            return idle.Error;
        }

        var record = idle.Value;
        if (record.Status != StackStatus.Failed || record.PlanId is null || await stacks.GetPlanAsync(tenantId, name, record.PlanId, cancellationToken) is not { } failed)
        {
            return DomainError.Conflict("Nothing to retry.", $"'{name}' is {Words(record.Status)}; retry follows a rollout that failed with onFailure: keep.");
        }

        var again = await PlanAsync(tenantId, name, new StackPlanRequest(failed.Template, failed.Parameters), cancellationToken);
        return again.Succeeded ? await ApplyAsync(tenantId, name, again.Value.PlanId, cancellationToken) : again.Error;
    }

    /// <summary>Undoes what the runs since the last settled state did, in reverse dependency order.</summary>
    public async Task<Outcome<StackRun>> RollbackAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var idle = await IdleAsync(tenantId, name, cancellationToken);
        if (!idle.Succeeded)
        {
            return idle.Error;
        }

        var record = idle.Value;

        if (record.Status is not (StackStatus.Failed or StackStatus.RollbackFailed))
        {
            return DomainError.Conflict("Nothing to roll back.", $"'{name}' is {Words(record.Status)}; a rollback follows a rollout that failed and kept its work (or a rollback that failed).");
        }

        return await StartAsync(record, StackRunKind.Rollback, StackStatus.RollingBack, [], cancellationToken);
    }

    /// <summary>After a failed rollback: tries the failed undos again, except those the request skips, which stay as retained.</summary>
    public async Task<Outcome<StackRun>> ContinueRollbackAsync(string tenantId, string name, ContinueRollbackRequest request, CancellationToken cancellationToken)
    {
        var idle = await IdleAsync(tenantId, name, cancellationToken);
        if (!idle.Succeeded)
        {
            return idle.Error;
        }

        var record = idle.Value;

        if (record.Status != StackStatus.RollbackFailed)
        {
            return DomainError.Conflict("No rollback to continue.", $"'{name}' is {Words(record.Status)}; continue-rollback follows a rollback that failed.");
        }

        var skip = request.Skip ?? [];
        var items = await stacks.ListItemsAsync(tenantId, name, cancellationToken);
        var errors = new List<FieldError>();
        for (var i = 0; i < skip.Count; i++)
        {
            if (!items.Any(item => item.Key == skip[i] && item.State == StackItemState.UndoFailed))
            {
                errors.Add(new FieldError($"skip[{i}]", $"'{skip[i]}' is not an item whose undo failed; those are: {string.Join(", ", items.Where(x => x.State == StackItemState.UndoFailed).Select(x => x.Key))}."));
            }
        }

        return errors.Count > 0 ? DomainError.Invalid(errors) : await StartAsync(record, StackRunKind.ContinueRollback, StackStatus.RollingBack, [.. skip.Distinct(StringComparer.Ordinal)], cancellationToken);
    }

    /// <summary>Undoes everything the stack owns, in reverse dependency order; objects it did not make are never touched.</summary>
    public async Task<Outcome<StackRun>> DeleteAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var idle = await IdleAsync(tenantId, name, cancellationToken);
        if (!idle.Succeeded)
        {
            return idle.Error;
        }

        var record = idle.Value;

        if (record.Status == StackStatus.Deleted)
        {
            return DomainError.Conflict("The stack is deleted.", $"'{name}' was deleted already; a new plan applies it again.");
        }

        return await StartAsync(record, StackRunKind.Delete, StackStatus.Deleting, [], cancellationToken);
    }

    /// <summary>
    /// The run a busy stack is carrying out, for scheduling it again when its start was lost (the host stopped between
    /// recording the run and scheduling it); null when the stack is not busy.
    /// </summary>
    public async Task<StackRun?> CurrentRunAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var record = await stacks.GetAsync(tenantId, name, cancellationToken);
        if (record is not { IsBusy: true, RunKind: { } kind })
        {
            return null;
        }

        var plan = kind == StackRunKind.Apply && record.PlanId is { } planId ? await stacks.GetPlanAsync(tenantId, name, planId, cancellationToken) : null;
        return RunOf(record, plan);
    }

    public async Task<Outcome<StackView>> GetAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var record = await stacks.GetAsync(tenantId, name, cancellationToken);
        return record is null ? DomainError.NotFound("stack", name) : new StackView(record, await stacks.ListItemsAsync(tenantId, name, cancellationToken));
    }

    public async Task<Outcome<Page<StackRecord>>> ListAsync(string tenantId, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (Paging.Check(pageSize, continuationToken, out var afterName) is { } invalid)
        {
            return invalid;
        }

        var size = pageSize ?? Paging.DefaultPageSize;
        var page = await stacks.ListAsync(tenantId, size, afterName, cancellationToken);
        return new Page<StackRecord>(page, page.Count == size ? ContinuationTokens.Encode(page[^1].Name) : null);
    }

    /// <summary>The journal in order, a page at a time.</summary>
    public async Task<Outcome<Page<StackEvent>>> ListEventsAsync(string tenantId, string name, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (Paging.Check(pageSize, continuationToken, out var after) is { } invalid)
        {
            return invalid;
        }

        var (afterRun, afterSequence) = (0, -1);
        if (after is not null)
        {
            var parts = after.Split('.');
            if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out afterRun) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out afterSequence))
            {
                return DomainError.Invalid([new FieldError("continuationToken", "is not a token this list gave.")]);
            }
        }

        if (await stacks.GetAsync(tenantId, name, cancellationToken) is null)
        {
            return DomainError.NotFound("stack", name);
        }

        var size = pageSize ?? Paging.DefaultPageSize;
        var page = await stacks.ListEventsAsync(tenantId, name, size, afterRun, afterSequence, cancellationToken);
        return new Page<StackEvent>(page, page.Count == size ? ContinuationTokens.Encode(string.Create(CultureInfo.InvariantCulture, $"{page[^1].Run}.{page[^1].Sequence}")) : null);
    }

    /// <summary>The stacks holding instances on, or having set values on, a resource: they keep it from being unregistered.</summary>
    public static async Task<IReadOnlyList<BlockingItem>> UsesOfAsync(IStackStore stacks, string tenantId, string resourceId, CancellationToken cancellationToken)
    {
        var uses = new List<BlockingItem>();
        string? after = null;
        while (true)
        {
            var page = await stacks.ListAsync(tenantId, Paging.MaxPageSize, after, cancellationToken);
            foreach (var stack in page.Where(s => s.Status != StackStatus.Deleted))
            {
                var items = (await stacks.ListItemsAsync(tenantId, stack.Name, cancellationToken))
                    .Where(i => (i.IsInEffect || i.State is StackItemState.Applying or StackItemState.Failed or StackItemState.UndoFailed)
                        && (i.Host == resourceId || i.Appliance == resourceId))
                    .ToList();
                if (items.Count > 0)
                {
                    uses.Add(new BlockingItem("stack", stack.Name, $"holds {items.Count} item(s) on '{resourceId}' ({string.Join(", ", items.Select(i => i.Key))}); delete the stack or change its template first."));
                }
            }

            if (page.Count < Paging.MaxPageSize)
            {
                return uses;
            }

            after = page[^1].Name;
        }
    }

    /// <summary>
    /// The launches of stack steps that start together, each recorded as the instance API records one (placement limited
    /// to the planned host), all under the input's operation; a repeat (same run, same names) answers the same launches.
    /// </summary>
    public async Task<IReadOnlyList<StackLaunchStart>> PrepareLaunchesAsync(StackLaunchesInput input, CancellationToken cancellationToken)
    {
        var requests = input.Steps.Select(step =>
        {
            var launch = step.Launch!;
            return new LaunchInstanceRequest(
                step.Instance, null, new ZoneSelector(null, launch.Zones), new InstanceSize(launch.VirtualCpus, launch.MemoryMiB), launch.Image,
                new InstancePlacement(launch.AntiAffinityGroup, launch.SpreadGroup, step.Host), launch.Tags, ClientRequestIdOf(input.Stack, input.Run));
        }).ToList();
        var prepared = await instances.PrepareLaunchesAsync(input.TenantId, requests, input.OperationId, cancellationToken);
        return [.. prepared.Select(p => p.Succeeded
            ? new StackLaunchStart(p.Value, null)
            : new StackLaunchStart(null, $"{p.Error.Title} {p.Error.Detail} {string.Join("; ", p.Error.Fields.Select(f => $"{f.Field}: {f.Message}").Concat(p.Error.BlockingItems.Select(b => b.Detail)))}".Trim()))];
    }

    /// <summary>The operation id of stack launches that start together: derived from the steps, so a repeat finds its own.</summary>
    public static string LaunchOperationId(string stack, int run, IEnumerable<string> keys) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{stack}/{run}/launch/{string.Join(',', keys)}")))[..32];

    /// <summary>
    /// The terminations of stack instances that end together, under one operation id derived from their steps; an
    /// instance already gone, or already terminating, counts as done.
    /// </summary>
    public async Task<IReadOnlyList<StackTerminateStart>> PrepareTerminatesAsync(StackTerminatesInput input, CancellationToken cancellationToken) =>
        await Task.WhenAll(input.Instances.Select(async instance =>
        {
            var prepared = await instances.PrepareActionAsync(input.TenantId, instance, InstanceAction.Terminate, null, cancellationToken, input.OperationId);
            if (!prepared.Succeeded)
            {
                return prepared.Error.Kind == ErrorKind.NotFound ? new StackTerminateStart(null, true, null) : new StackTerminateStart(null, false, prepared.Error.Detail);
            }

            return prepared.Value.Plan is { } plan ? new StackTerminateStart(plan, false, null) : new StackTerminateStart(null, true, null);
        }));

    /// <summary>
    /// A membership step. Apply: the stack's members of the pool become the tier's instances in effect. Undo: what they
    /// were before the unsettled runs. Delete: none. Only members the stack added are ever removed.
    /// </summary>
    public async Task<StackMembershipOutcome> ChangeMembershipAsync(StackMembershipInput input, CancellationToken cancellationToken)
    {
        var items = await stacks.ListItemsAsync(input.TenantId, input.Stack, cancellationToken);
        var item = items.FirstOrDefault(i => i.Key == input.Step.Key);
        var owned = item?.Members ?? [];
        var target = input.Step.Membership!;
        IReadOnlyList<PoolMember> desired = input.Phase switch
        {
            StackStepPhase.Apply => [.. items
                .Where(i => i.Kind == StackItemKind.Instance && i.Component == target.Tier && i.State == StackItemState.Applied && i.Instance is not null && i.Host is not null)
                .OrderBy(i => i.Key, StringComparer.Ordinal)
                .Select(i => new PoolMember(i.Instance!, i.Host!, i.Zone!, null, i.Instance))],
            StackStepPhase.Undo => item?.Before?.Members ?? [],
            _ => [],
        };
        var remove = owned.Select(m => m.MemberId).Where(id => !desired.Any(d => d.MemberId == id)).ToHashSet(StringComparer.Ordinal);
        var changed = await poolService.ChangeMembersAsync(input.TenantId, target.Pool, desired, remove, cancellationToken);
        if (!changed.Succeeded && !(changed.Error.Kind == ErrorKind.NotFound && input.Phase != StackStepPhase.Apply))
        {
            return new StackMembershipOutcome(false, owned, changed.Error.Detail);
        }

        return new StackMembershipOutcome(true, desired, null);
    }

    /// <summary>
    /// Writes journal entries of one stack, each moving its item with it; one entry is one transaction, several go
    /// together (one read of the items, one write per hundred). Before a step the item says what is being done (and keeps,
    /// from the first change after the last settled state, what it was before); after it, what came of it.
    /// </summary>
    public async Task JournalAsync(IReadOnlyList<StackJournalEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var (tenantId, stack) = (entries[0].TenantId, entries[0].Stack);
        if (entries.Any(e => e.TenantId != tenantId || e.Stack != stack) || entries.DistinctBy(e => e.Step.Key).Count() != entries.Count)
        {
            throw new ArgumentException("Journal entries written together must be of one stack, one entry per item.", nameof(entries));
        }

        IReadOnlyList<StackItem?> items;
        if (entries.Count == 1)
        {
            items = [await stacks.GetItemAsync(tenantId, stack, entries[0].Step.Key, cancellationToken)];
        }
        else
        {
            var byKey = (await stacks.ListItemsAsync(tenantId, stack, cancellationToken)).ToDictionary(i => i.Key, StringComparer.Ordinal);
            items = [.. entries.Select(e => byKey.GetValueOrDefault(e.Step.Key))];
        }

        var settled = entries.Any(e => !e.Done && e.Read is null) ? await SettledAsync(entries[0], cancellationToken) : 0;
        var now = clock.GetUtcNow();
        var events = new List<StackEvent>();
        var moved = new List<StackItem>();
        var removed = new List<string>();
        foreach (var (entry, current) in entries.Zip(items))
        {
            var (next, remove) = (entry.Done, entry.Read) switch
            {
                (true, _) => After(entry, current, now),

                // The values read before a set go in the journal; the item takes them once the set's outcome is known.
                (false, not null) => (current, false),
                _ => (Before(entry, settled, current, now), false),
            };
            events.Add(EventOf(entry, now));
            if (remove)
            {
                removed.Add(entry.Step.Key);
            }
            else if (next is not null)
            {
                moved.Add(next);
            }
        }

        if (entries.Count == 1)
        {
            await stacks.RecordAsync(tenantId, stack, events[0], moved.FirstOrDefault(), removed.FirstOrDefault(), cancellationToken);
        }
        else
        {
            await stacks.RecordAllAsync(tenantId, stack, events, moved, removed, cancellationToken);
        }
    }

    private static StackEvent EventOf(StackJournalEntry entry, DateTimeOffset now) => new(
        entry.Run,
        entry.Sequence,
        now,
        entry.Step.Key,
        $"{FieldRules.JsonName(entry.Phase.ToString())}:{(entry.Done ? "done" : "begin")}",
        entry.Done ? $"{(entry.Succeeded ? "done" : "failed")}: {entry.Step.Detail}" : entry.Read is { } read ? $"read before the set: {StackPlanner.Describe(read)}" : entry.Step.Detail,
        entry.Done ? null : IdempotencyKeyOf(entry),
        entry.Done ? null : UndoOf(entry),
        entry.Done ? (entry.Succeeded ? "succeeded" : entry.Uncertain ? $"failed, may have taken effect: {entry.Reason}" : $"failed: {entry.Reason}") : null);

    private async Task<int> SettledAsync(StackJournalEntry entry, CancellationToken cancellationToken) =>
        (await stacks.GetAsync(entry.TenantId, entry.Stack, cancellationToken) ?? throw new InvalidOperationException($"The stack '{entry.Stack}' of a running rollout is missing.")).Settled;

    /// <summary>A journal entry with no item: the start and end of a run, a phase beginning.</summary>
    public Task NoteAsync(string tenantId, string stack, int run, int sequence, string phase, string message, CancellationToken cancellationToken) =>
        stacks.RecordAsync(tenantId, stack, new StackEvent(run, sequence, clock.GetUtcNow(), null, phase, message), null, null, cancellationToken);

    /// <summary>The actions of the plan a run applies, no-ops left out: what the rollout carries out.</summary>
    public async Task<IReadOnlyList<StackStep>> ApplyStepsAsync(string tenantId, string name, string planId, CancellationToken cancellationToken) =>
        [.. (await stacks.GetPlanAsync(tenantId, name, planId, cancellationToken)
                ?? throw new InvalidOperationException($"The plan '{planId}' of a rollout of '{name}' is missing."))
            .Steps.Where(s => s.Action != StackActionKind.NoOp)];

    /// <summary>
    /// The undo steps of a rollback: every item changed since the last settled state and not undone yet, from the
    /// highest dependency level down; each does only what is needed to put its item back (a step never started needs
    /// nothing on a device). Continue-rollback runs those it is not told to skip; the orchestration marks the rest retained.
    /// </summary>
    public async Task<IReadOnlyList<StackStep>> UndoStepsAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var record = await stacks.GetAsync(tenantId, name, cancellationToken) ?? throw new InvalidOperationException($"The stack '{name}' of a running rollback is missing.");
        var items = await stacks.ListItemsAsync(tenantId, name, cancellationToken);
        return [.. items
            .Where(i => i.Run > record.Settled && i.State is not (StackItemState.Undone or StackItemState.Retained))
            .OrderByDescending(i => i.Level)
            .ThenBy(i => i.Key, StringComparer.Ordinal)
            .Select(UndoOf)];
    }

    /// <summary>The delete steps: everything the stack holds (including instances of failed launches), highest level first.</summary>
    public async Task<IReadOnlyList<StackStep>> DeleteStepsAsync(string tenantId, string name, CancellationToken cancellationToken) =>
        [.. (await stacks.ListItemsAsync(tenantId, name, cancellationToken))
            .Where(i => i.IsInEffect || i.State is StackItemState.Failed or StackItemState.UndoFailed or StackItemState.Applying)
            .OrderByDescending(i => i.Level)
            .ThenBy(i => i.Key, StringComparer.Ordinal)
            .Select(StackPlanner.DeleteOf)];

    /// <summary>
    /// Ends a run: the stack's status and reason; a settled end (succeeded, rolled back, deleted) also forgets what the
    /// items were before (nothing is left to undo), drops undone items and, on success, records the outputs.
    /// </summary>
    public async Task<StackRunOutcome> FinishAsync(StackRunEnd end, CancellationToken cancellationToken)
    {
        var items = await stacks.ListItemsAsync(end.TenantId, end.Stack, cancellationToken);
        var settled = end.Status is StackStatus.Succeeded or StackStatus.RolledBack or StackStatus.Deleted;
        if (settled)
        {
            var gone = items.Where(i => i.State == StackItemState.Undone || (end.Status == StackStatus.Deleted && i.State != StackItemState.DeleteFailed)).Select(i => i.Key).ToList();
            var kept = items.Where(i => !gone.Contains(i.Key) && (i.Before is not null || i.RunPrior is not null))
                .Select(i => i with { Before = null, RunPrior = null })
                .ToList();
            await stacks.ReplaceItemsAsync(end.TenantId, end.Stack, kept, gone, cancellationToken);
            items = [.. items.Where(i => !gone.Contains(i.Key))];
        }

        for (var attempt = 0; attempt < 8; attempt++)
        {
            var record = await stacks.GetAsync(end.TenantId, end.Stack, cancellationToken)
                ?? throw new InvalidOperationException($"The stack '{end.Stack}' of a running rollout is missing.");
            if (record.OperationId != end.OperationId)
            {
                break;
            }

            var plan = end.Kind == StackRunKind.Apply && end.Status == StackStatus.Succeeded && record.PlanId is { } planId
                ? await stacks.GetPlanAsync(end.TenantId, end.Stack, planId, cancellationToken)
                : null;
            var next = record with
            {
                Status = end.Status,
                Reason = end.Reason,
                Settled = settled ? end.Run : record.Settled,
                AppliedTemplate = plan is not null ? JsonSerializer.Serialize(new AppliedTemplate(plan.Template, plan.Parameters), StackJsonContext.Default.AppliedTemplate)
                    : end.Status == StackStatus.Deleted ? null
                    : record.AppliedTemplate,
                Outputs = plan is not null ? OutputsOf(plan, items) : end.Status == StackStatus.Deleted ? new Dictionary<string, IReadOnlyList<string>>() : record.Outputs,
                UpdatedAt = clock.GetUtcNow(),
            };
            if (record.Status == end.Status && record.Reason == end.Reason || await stacks.TryReplaceAsync(next, cancellationToken))
            {
                break;
            }
        }

        var failed = items.Where(i => i.State is StackItemState.Failed or StackItemState.UndoFailed or StackItemState.DeleteFailed).Select(i => i.Key).ToList();
        return new StackRunOutcome(end.Stack, end.Status, end.Reason, failed);
    }

    public static string Words(StackStatus status) => FieldRules.JsonName(status.ToString());

    /// <summary>The client request id a stack's launches carry: one per stack and run, so a repeated step finds its launch.</summary>
    public static string ClientRequestIdOf(string stack, int run) => string.Create(CultureInfo.InvariantCulture, $"stack:{stack}:{run}");

    /// <summary>The stack, if it exists and no run is under way on it.</summary>
    private async Task<Outcome<StackRecord>> IdleAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var record = await stacks.GetAsync(tenantId, name, cancellationToken);
        return record is null ? DomainError.NotFound("stack", name) : record.IsBusy ? Busy(record) : record;
    }

    private static DomainError Busy(StackRecord record) => DomainError.Conflict(
        "Another operation is under way on the stack.",
        $"'{record.Name}' is {Words(record.Status)} (operation {record.OperationId}); wait for it to end.");

    private static void ValidateName(string name, List<FieldError> errors)
    {
        FieldRules.Name("name", name, errors);
        if (name.Length > MaxStackNameLength)
        {
            errors.Add(new FieldError("name", $"a stack's name is at most {MaxStackNameLength} characters (its instance names start with it)."));
        }
    }

    private async Task<Outcome<StackRun>> StartAsync(StackRecord record, StackRunKind kind, StackStatus status, IReadOnlyList<string> skip, CancellationToken cancellationToken)
    {
        var started = await StartRunAsync(record, kind, status, record.OnFailure, record.PlanId, skip, cancellationToken);
        return started.Succeeded ? RunOf(started.Value, null) : started.Error;
    }

    /// <summary>Moves the stack to a run, conditionally: of two requests racing to start one, one wins and the other is told.</summary>
    private async Task<Outcome<StackRecord>> StartRunAsync(
        StackRecord record, StackRunKind kind, StackStatus status, FailureMode onFailure, string? planId, IReadOnlyList<string> skip, CancellationToken cancellationToken)
    {
        var next = record with
        {
            Status = status,
            Version = record.Version + 1,
            OperationId = OperationIds.NewOperationId(),
            PlanId = planId,
            RunKind = kind,
            Skip = skip,
            OnFailure = onFailure,
            Reason = null,
            UpdatedAt = clock.GetUtcNow(),
        };
        if (!await stacks.TryReplaceAsync(next, cancellationToken))
        {
            return DomainError.Conflict("The stack changed meanwhile.", $"'{record.Name}' changed while the request was handled; read it again and retry.");
        }

        return next;
    }

    private static StackRun RunOf(StackRecord record, StackPlan? plan)
    {
        var concurrency = plan is not null && StackTemplateReader.Read(record.Name, plan.Template, plan.Parameters).Template is { } template ? template.Concurrency : StackConcurrency.Default;
        return new StackRun(
            record.TenantId,
            record.Name,
            record.OperationId!,
            record.Version,
            record.RunKind ?? StackRunKind.Apply,
            record.OnFailure,
            concurrency,
            plan?.PlanId,
            record.Skip);
    }

    /// <summary>Reads the template and plans it against the stack's items and the tenant's zones, appliances, pools and capacity.</summary>
    private async Task<Outcome<(StackTemplate Template, IReadOnlyList<StackStep> Steps)>> ComputeAsync(
        string tenantId, string name, JsonElement json, IReadOnlyDictionary<string, JsonElement>? parameters, int run, CancellationToken cancellationToken)
    {
        var (template, errors) = StackTemplateReader.Read(name, json, parameters);
        if (template is null)
        {
            return DomainError.Invalid(errors);
        }

        var fieldErrors = new List<FieldError>();
        var tierZones = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var i = 0; i < template.Tiers.Count; i++)
        {
            var tier = template.Tiers[i];
            var resolveErrors = new List<FieldError>();
            var zones = await instances.ResolveZonesAsync(
                tenantId, new LaunchInstanceRequest(null, tier.Zone, tier.ZoneSelector, null, null, null, null, null), resolveErrors, cancellationToken);
            fieldErrors.AddRange(resolveErrors.Select(e => e with { Field = $"$.tiers[{i}].{e.Field}" }));
            tierZones[tier.Name] = zones;
        }

        var appliances = new Dictionary<string, ResourceRegistration>(StringComparer.Ordinal);
        foreach (var id in template.Appliances.Select(a => a.Appliance).Distinct(StringComparer.Ordinal))
        {
            if (await resources.GetAsync(tenantId, id, cancellationToken) is { Kind: ResourceKind.SnmpAppliance, State: RegistrationState.Registered } appliance)
            {
                appliances[id] = appliance;
            }
        }

        var poolIds = (await pools.ListAllAsync(tenantId, cancellationToken)).Select(p => p.PoolId).ToHashSet(StringComparer.Ordinal);
        if (fieldErrors.Count > 0)
        {
            return DomainError.Invalid(fieldErrors);
        }

        var capacity = await instances.CapacityAsync(tenantId, cancellationToken);
        for (var i = 0; i < template.Tiers.Count; i++)
        {
            var tier = template.Tiers[i];
            var offered = capacity.ImagesIn(tierZones[tier.Name]);
            if (tier.Count > 0 && !offered.Contains(tier.Image))
            {
                fieldErrors.Add(new FieldError($"$.tiers[{i}].image", $"no compute host in [{string.Join(", ", tierZones[tier.Name])}] offers '{tier.Image}'; they offer: {(offered.Count == 0 ? "none" : string.Join(", ", offered))}."));
            }
        }

        if (fieldErrors.Count > 0)
        {
            return DomainError.Invalid(fieldErrors);
        }

        var items = await stacks.ListItemsAsync(tenantId, name, cancellationToken);
        var (steps, planErrors) = StackPlanner.Plan(template, new StackPlanner.Inputs(tenantId, name, run, tierZones, items, capacity, placement.Value, appliances, poolIds));
        return planErrors.Count > 0 ? DomainError.Invalid(planErrors) : (template, steps);
    }

    private static List<BlockingItem> Differences(IReadOnlyList<StackStep> planned, IReadOnlyList<StackStep> now)
    {
        var differences = new List<BlockingItem>();
        var current = now.ToDictionary(s => s.Key, StringComparer.Ordinal);
        foreach (var step in planned)
        {
            if (!current.TryGetValue(step.Key, out var other))
            {
                differences.Add(new BlockingItem("item", step.Key, $"{step.Key}: planned to {Words(step.Action)}, no longer in a plan made now"));
            }
            else if (other.Action != step.Action || other.Host != step.Host || other.Zone != step.Zone || other.Instance != step.Instance)
            {
                differences.Add(new BlockingItem("item", step.Key,
                    $"{step.Key}: planned to {Words(step.Action)} on '{step.Host ?? "-"}' in '{step.Zone ?? "-"}', now {Words(other.Action)} on '{other.Host ?? "-"}' in '{other.Zone ?? "-"}'"));
            }
        }

        differences.AddRange(now.Where(s => !planned.Any(p => p.Key == s.Key)).Select(s => new BlockingItem("item", s.Key, $"{s.Key}: not in the plan, now to {Words(s.Action)}")));
        return differences;
    }

    private static string Words(StackActionKind action) => action == StackActionKind.NoOp ? "no-op" : FieldRules.JsonName(action.ToString());

    private static StackItem Before(StackJournalEntry entry, int settled, StackItem? current, DateTimeOffset now)
    {
        var step = entry.Step;
        var state = entry.Phase switch
        {
            StackStepPhase.Apply => StackItemState.Applying,
            StackStepPhase.Undo => StackItemState.Undoing,
            StackStepPhase.Skip => StackItemState.Retained,
            _ => StackItemState.Deleting,
        };

        // What the item was before this period of unsettled runs, kept from its first change on.
        var before = current is not null && current.Run > settled ? current.Before : current;
        if (entry.Phase != StackStepPhase.Apply)
        {
            return (current ?? ItemOf(step, entry.Run, state, now)) with { State = state, Reason = null, UpdatedAt = now };
        }

        return ItemOf(step, entry.Run, state, now) with
        {
            Before = before,
            Host = step.Host ?? current?.Host,
            Zone = step.Zone ?? current?.Zone,
            Instance = step.Instance ?? current?.Instance,
            Retiring = step.Retiring,
            Original = current?.Original,
            RunPrior = current is not null && current.Run > settled ? current.RunPrior : null,
            Members = current?.Members,
            Bindings = current?.Bindings,
            Spec = current?.Spec ?? step.Spec,
        };
    }

    private static (StackItem? Item, bool Remove) After(StackJournalEntry entry, StackItem? current, DateTimeOffset now)
    {
        var step = entry.Step;
        var item = current ?? ItemOf(step, entry.Run, StackItemState.Pending, now);
        switch (entry.Phase)
        {
            case StackStepPhase.Apply:
                if (!entry.Succeeded)
                {
                    return (item with
                    {
                        State = StackItemState.Failed,
                        Reason = entry.Reason,
                        Host = entry.Host ?? item.Host,
                        Zone = entry.Zone ?? item.Zone,
                        RunPrior = entry.Uncertain ? item.RunPrior ?? entry.Read : item.RunPrior,
                        Original = entry.Uncertain ? item.Original ?? entry.Read : item.Original,
                        Members = entry.Members ?? item.Members,
                        UpdatedAt = now,
                    }, false);
                }

                return (item with
                {
                    State = StackItemState.Applied,
                    Spec = step.Spec,
                    Reason = null,
                    Host = entry.Host ?? item.Host,
                    Zone = entry.Zone ?? item.Zone,
                    Bindings = step.Appliance?.Bindings ?? item.Bindings,
                    Appliance = step.Appliance?.Resource ?? item.Appliance,
                    Device = step.Appliance?.Device ?? item.Device,
                    RunPrior = item.RunPrior ?? entry.Read,
                    Original = item.Original ?? entry.Read,
                    Pool = step.Membership?.Pool ?? item.Pool,
                    Members = entry.Members ?? item.Members,
                    UpdatedAt = now,
                }, false);
            case StackStepPhase.Undo when entry.Succeeded:
                // Put back: the item as it was before the unsettled runs, or undone when they made it.
                return (item.Before is { } prior ? prior with { UpdatedAt = now } : item with { State = StackItemState.Undone, Reason = null, Members = entry.Members ?? [], UpdatedAt = now }, false);
            case StackStepPhase.Undo:
                return (item with { State = StackItemState.UndoFailed, Reason = entry.Reason, Members = entry.Members ?? item.Members, UpdatedAt = now }, false);
            case StackStepPhase.Retire:
                return (item with { Retiring = entry.Succeeded ? null : item.Retiring, Reason = entry.Succeeded ? null : $"the replaced instance '{item.Retiring}' was not terminated: {entry.Reason}", UpdatedAt = now }, false);
            case StackStepPhase.Skip:
                return (item with { State = StackItemState.Retained, Reason = $"kept: continue-rollback skipped its undo ({item.Reason})", UpdatedAt = now }, false);
            default:
                return entry.Succeeded ? (null, true) : (item with { State = StackItemState.DeleteFailed, Reason = entry.Reason, Members = entry.Members ?? item.Members, UpdatedAt = now }, false);
        }
    }

    private static StackItem ItemOf(StackStep step, int run, StackItemState state, DateTimeOffset now) => new()
    {
        Key = step.Key,
        Kind = step.Kind,
        Component = step.Component,
        Level = step.Level,
        State = state,
        Spec = step.Spec,
        Run = run,
        Zone = step.Zone,
        Host = step.Host,
        Instance = step.Instance,
        Appliance = step.Appliance?.Resource,
        Device = step.Appliance?.Device,
        Pool = step.Membership?.Pool,
        UpdatedAt = now,
    };

    /// <summary>The step that puts an item back as it was before the unsettled runs.</summary>
    private static StackStep UndoOf(StackItem item)
    {
        var madeNow = item.Before is null || item.Before.Instance != item.Instance;
        return item.Kind switch
        {
            StackItemKind.Instance => new StackStep(item.Key, item.Kind, item.Component, item.Level, StackActionKind.Delete, item.Before?.Spec ?? item.Spec, item.Zone, item.Host,
                madeNow && item.State != StackItemState.Pending ? item.Instance : null, null,
                madeNow && item.State != StackItemState.Pending ? $"terminate instance '{item.Instance}', which the rollout launched" : "nothing was launched for it"),
            StackItemKind.Appliance => new StackStep(item.Key, item.Kind, item.Component, item.Level, StackActionKind.Delete, item.Before?.Spec ?? item.Spec, item.Zone, item.Appliance, null, null,
                item.RunPrior is { } prior ? $"put back on '{item.Appliance}' the values read before the set: {StackPlanner.Describe(prior)}" : "nothing was set on the device",
                Appliance: item.RunPrior is { } values ? new StackApplianceTarget(item.Appliance!, item.Zone!, item.Device!, values) : null),
            _ => new StackStep(item.Key, item.Kind, item.Component, item.Level, StackActionKind.Delete, item.Before?.Spec ?? item.Spec, null, null, null, null,
                $"put the stack's members of pool '{item.Pool}' back to {item.Before?.Members?.Count ?? 0}",
                Membership: new StackMembershipTarget(item.Pool ?? string.Empty, item.Component)),
        };
    }

    private static string IdempotencyKeyOf(StackJournalEntry entry) => entry.Step.Kind switch
    {
        StackItemKind.Instance when entry.Phase == StackStepPhase.Apply => $"launch {entry.Step.Instance} with clientRequestId {ClientRequestIdOf(entry.Stack, entry.Run)}{Under(entry)}",
        StackItemKind.Instance => $"terminate {entry.Step.Instance ?? "-"}{Under(entry)}",
        StackItemKind.Appliance => $"snmp commands {entry.Step.Key}:{FieldRules.JsonName(entry.Phase.ToString())}:* of this run's orchestration",
        _ => $"pool {entry.Step.Membership?.Pool} members named after the instances",
    };

    private static string Under(StackJournalEntry entry) => entry.OperationId is { } operation ? $" under operation {operation}" : string.Empty;

    private static string? UndoOf(StackJournalEntry entry) => entry.Phase != StackStepPhase.Apply ? null : entry.Step.Kind switch
    {
        StackItemKind.Instance => $"terminate {entry.Step.Instance}",
        StackItemKind.Appliance => "set back the values read before the set",
        _ => "remove the members added",
    };

    /// <summary>
    /// The operation id of stack terminations that run together (one step, or several of a level): derived from the run,
    /// the steps and the phase, so a repeated step finds its own action.
    /// </summary>
    public static string TerminateOperationId(string stack, int run, IEnumerable<string> keys, StackStepPhase phase) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{stack}/{run}/{string.Join(',', keys)}/{phase}")))[..32];

    private static Dictionary<string, IReadOnlyList<string>> OutputsOf(StackPlan plan, IReadOnlyList<StackItem> items)
    {
        var template = StackTemplateReader.Read(plan.Stack, plan.Template, plan.Parameters).Template;
        var outputs = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var output in template?.Outputs ?? [])
        {
            var ofTier = items.Where(i => i.Kind == StackItemKind.Instance && i.Component == output.Tier && i.IsInEffect)
                .OrderBy(i => int.Parse(i.Key.Split(':')[^1], CultureInfo.InvariantCulture))
                .ToList();
            outputs[output.Name] = output.Attribute switch
            {
                "names" => [.. ofTier.Select(i => i.Instance ?? string.Empty)],
                "hosts" => [.. ofTier.Select(i => i.Host ?? string.Empty)],
                _ => [.. ofTier.Select(i => i.Zone ?? string.Empty)],
            };
        }

        return outputs;
    }
}

/// <summary>The template and parameters a stack was last applied with.</summary>
public sealed record AppliedTemplate(JsonElement Template, IReadOnlyDictionary<string, JsonElement> Parameters);
