using System.Globalization;
using Serverless.ControlPlane.Operations;
using Serverless.ControlPlane.Results;
using Serverless.ControlPlane.Validation;

namespace Serverless.ControlPlane.Instances;

/// <summary>
/// Batch actions: one action over many instances under a concurrency cap and an error budget. The budget rule, in plain
/// words: a target fails when its action fails or its agent does not answer in time (timeouts count); once more than
/// <c>maxErrors</c> targets have failed, that is at failure <c>maxErrors + 1</c>, no further target starts, the ones in
/// progress finish, and the rest are skipped.
/// </summary>
public sealed class BatchActionService(IManagedInstanceStore instances, InstanceService actions)
{
    public const int MaxTargets = 1000;

    /// <summary>Checks the request, resolves its targets (names must exist; selectors take every instance not terminated) and its limits.</summary>
    public async Task<Outcome<BatchPlan>> PrepareAsync(string tenantId, BatchActionRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        FieldRules.Required("action", request.Action, errors);
        var all = await instances.ListAllAsync(tenantId, cancellationToken);
        var targets = new List<BatchTarget>();
        var targetsGiven = request.Targets is { } t && (t.Names is { Count: > 0 } || t.Zone is not null || t.Tag is not null);
        if (!targetsGiven)
        {
            errors.Add(new FieldError("targets", "give names, or a zone and/or a tag to select instances by."));
        }
        else if (request.Targets!.Names is { Count: > 0 } names)
        {
            if (request.Targets.Zone is not null || request.Targets.Tag is not null)
            {
                errors.Add(new FieldError("targets", "give names or a selector (zone, tag), not both."));
            }

            var byName = all.ToDictionary(i => i.Name, StringComparer.Ordinal);
            for (var i = 0; i < names.Count; i++)
            {
                if (!byName.TryGetValue(names[i] ?? string.Empty, out var instance))
                {
                    errors.Add(new FieldError($"targets.names[{i}]", $"there is no instance named '{names[i]}'."));
                }
                else if (targets.All(x => x.Name != instance.Name))
                {
                    targets.Add(new BatchTarget(instance.Name, instance.Zone));
                }
            }
        }
        else
        {
            var filter = new InstanceFilter(request.Targets.Zone, null, null, request.Targets.Tag);
            targets.AddRange(all.Where(i => i.State != LifecycleState.Terminated && InstanceService.Matches(i, filter)).Select(i => new BatchTarget(i.Name, i.Zone)));
            if (targets.Count == 0)
            {
                errors.Add(new FieldError("targets", "the selector matches no instance."));
            }
        }

        if (targets.Count > MaxTargets)
        {
            errors.Add(new FieldError("targets", $"a batch acts on at most {MaxTargets} instances."));
        }

        var concurrency = Budget("maxConcurrency", request.MaxConcurrency ?? "10", targets.Count, roundUp: true, errors);
        var maxErrors = Budget("maxErrors", request.MaxErrors ?? "0", targets.Count, roundUp: false, errors);
        if (request.PerZoneConcurrency is < 1)
        {
            errors.Add(new FieldError("perZoneConcurrency", "must be at least 1."));
        }

        return errors.Count > 0
            ? DomainError.Invalid(errors)
            : new BatchPlan(tenantId, OperationIds.NewOperationId(), request.Action!.Value, targets, Math.Max(1, concurrency), maxErrors, request.PerZoneConcurrency);
    }

    /// <summary>Checks one target as its turn comes: its action to run, or how it ended already.</summary>
    public async Task<BatchTargetStart> PrepareTargetAsync(string tenantId, string name, InstanceAction action, CancellationToken cancellationToken)
    {
        var outcome = await actions.PrepareActionAsync(tenantId, name, action, null, cancellationToken);
        if (!outcome.Succeeded)
        {
            return new BatchTargetStart(null, new BatchTargetResult(name, BatchTargetStatus.Failed, $"{outcome.Error.Title} {outcome.Error.Detail}"));
        }

        return outcome.Value.Plan is { } plan
            ? new BatchTargetStart(plan, null)
            : new BatchTargetStart(null, new BatchTargetResult(name, BatchTargetStatus.Succeeded, "already in effect"));
    }

    /// <summary>"10" is 10; "10%" is 10 % of the targets, rounded up for concurrency and down for errors.</summary>
    private static int Budget(string field, string value, int targets, bool roundUp, List<FieldError> errors)
    {
        var percent = value.EndsWith('%');
        var digits = percent ? value[..^1] : value;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || (percent && number > 100))
        {
            errors.Add(new FieldError(field, "must be a whole number (\"10\") or a percentage of the targets (\"10%\")."));
            return 0;
        }

        if (!percent)
        {
            return number;
        }

        var share = targets * number / 100.0;
        return roundUp ? (int)Math.Ceiling(share) : (int)Math.Floor(share);
    }
}
