#!/usr/bin/env bash
# Coverage-guided fuzzing of the SNMP decoders: afl-fuzz (Debian package afl++) drives the SharpFuzz target in
# bench/Serverless.Fuzz.Snmp against an instrumented Serverless.Snmp.dll. Every crashing input is copied to
# tests/Serverless.Snmp.Tests/FuzzRegressions, where the test suite replays it from then on.
#
# Usage: scripts/fuzz-snmp.sh [EXECUTIONS]    (default 1000000)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
executions="${1:-1000000}"

if ! command -v afl-fuzz >/dev/null 2>&1; then
    echo "fuzz: installing afl++ (apt-get)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi
dotnet tool restore >/dev/null

work="$(mktemp -d "${TMPDIR:-/tmp}/fuzz-snmp.XXXXXX")"
trap 'rm -rf "$work"' EXIT
dotnet publish bench/Serverless.Fuzz.Snmp -c Release -o "$work/bin" --nologo -v quiet >/dev/null
# Seeds first: the instrumented library only runs under afl-fuzz. SharpFuzz 2.3 targets .NET 8 and 9; it runs on 10.
dotnet "$work/bin/Serverless.Fuzz.Snmp.dll" --seeds "$work/seeds"
DOTNET_ROLL_FORWARD=Major dotnet sharpfuzz "$work/bin/Serverless.Snmp.dll" >/dev/null

echo "fuzz: $executions executions of afl-fuzz on the SNMP decoders (this takes minutes)" >&2
started=$(date +%s)
AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
    afl-fuzz -E "$executions" -i "$work/seeds" -o "$work/findings" -t 5000 -m none -- dotnet "$work/bin/Serverless.Fuzz.Snmp.dll" \
    > "$work/afl.log" 2>&1 || { tail -40 "$work/afl.log" >&2; exit 1; }
elapsed=$(( $(date +%s) - started ))

stats="$work/findings/default/fuzzer_stats"
stat() { awk -F' *: *' -v key="$1" '$1 == key { print $2 }' "$stats"; }
crashes=( "$work"/findings/default/crashes/id:* )
regressions="tests/Serverless.Snmp.Tests/FuzzRegressions"
kept=0
for crash in "${crashes[@]}"; do
    [ -e "$crash" ] || continue
    name="afl-$(sha256sum "$crash" | cut -c1-16).bin"
    cp "$crash" "$regressions/$name"
    kept=$((kept + 1))
done

echo "executions:        $(stat execs_done)"
echo "elapsed:           ${elapsed} s ($(stat execs_per_sec) exec/s)"
echo "paths (corpus):    $(stat corpus_count)"
echo "edges covered:     $(stat bitmap_cvg)"
echo "crashes:           $(stat saved_crashes), hangs: $(stat saved_hangs)"
echo "kept as regression inputs in $regressions: $kept"
[ "$kept" -eq 0 ]
