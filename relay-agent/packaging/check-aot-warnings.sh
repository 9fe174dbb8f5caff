#!/usr/bin/env bash
# Fails when a build log holds a trimming, AOT or single-file warning (IL2xxx, IL3xxx) that the documented list does
# not explain. A line of the list is "CODE<TAB>where<TAB>why": it allows warnings with that code whose text names
# "where" (an assembly, type or member). Lines starting with # and blank lines are ignored.
#   relay-agent/packaging/check-aot-warnings.sh BUILD-LOG [LIST]     (LIST defaults to aot-warnings.txt beside it)
set -euo pipefail

log="${1:?usage: check-aot-warnings.sh BUILD-LOG [LIST]}"
list="${2:-$(dirname "${BASH_SOURCE[0]}")/aot-warnings.txt}"
[ -f "$log" ] || { echo "check-aot-warnings: no build log $log" >&2; exit 2; }
[ -f "$list" ] || { echo "check-aot-warnings: no list $list" >&2; exit 2; }

# MSBuild prints a warning once as it happens and again in its summary: each distinct one counts once.
mapfile -t warnings < <(grep -oE 'warning IL[23][0-9]{3}: .*' "$log" | sed -E 's/ \[[^]]*\]$//' | sort -u)
unexplained=()
for warning in "${warnings[@]}"; do
    code="$(sed -E 's/^warning (IL[0-9]{4}).*/\1/' <<<"$warning")"
    explained=""
    while IFS=$'\t' read -r listed where _; do
        case "$listed" in ''|'#'*) continue ;; esac
        if [ "$listed" = "$code" ] && [ -n "$where" ] && [[ "$warning" == *"$where"* ]]; then
            explained=yes
            break
        fi
    done <"$list"
    [ -n "$explained" ] || unexplained+=("$warning")
done

if [ "${#unexplained[@]}" -gt 0 ]; then
    echo "check-aot-warnings: ${#unexplained[@]} trimming/AOT warning(s) not explained in $list:" >&2
    printf '  %s\n' "${unexplained[@]}" >&2
    echo "Fix the code (source-generated JSON, options validation and configuration binding; no reflection over unknown types)," \
        "or add a line CODE<TAB>where<TAB>why to the list if the warning is harmless." >&2
    exit 1
fi
echo "check-aot-warnings: ${#warnings[@]} warning(s), all explained in $(basename "$list")" >&2
