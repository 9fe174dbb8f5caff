#!/usr/bin/env bash
# Builds everything and runs every test (unit, integration through the local host and Azurite, infrastructure).
# The last line is "N passed, N failed, N skipped"; the exit code is non-zero on any failure.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results=.local/test-results

fail() {
    echo "$1" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
}

bash scripts/setup.sh || fail "test: setup failed"

# Leftovers of a crashed earlier run hold nothing anyone needs: its watchdogs killed its processes when it died.
rm -rf .local/test-runs "$results"

dotnet build Serverless.sln -c Release --no-restore -nologo -clp:ErrorsOnly || fail "test: build failed"

dotnet test Serverless.sln -c Release --no-build -nologo \
    --logger "trx;LogFilePrefix=results" --logger "console;verbosity=normal" --results-directory "$results"
test_status=$?

passed=0 failed=0 skipped=0
shopt -s nullglob
trx_files=("$results"/*.trx)
[ ${#trx_files[@]} -gt 0 ] || fail "test: no test results were written"
for trx in "${trx_files[@]}"; do
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
    value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
    skipped=$((skipped + $(value notExecuted)))
done

# CI keeps only the end of the output: name each failed test and the start of its message just above the count.
if [ "$failed" -gt 0 ]; then
    echo "Failed tests:"
    for trx in "${trx_files[@]}"; do
        awk '
            function unescape(s) {
                gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
                gsub(/&#xD;/, "", s); gsub(/&#xA;/, " ", s); gsub(/&amp;/, "\\&", s)
                return s
            }
            /<UnitTestResult / && /outcome="(Failed|Error|Timeout|Aborted)"/ {
                match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11)
                print "  " unescape(name); inside = 1; lines = 0
            }
            inside && /<Message>/ { sub(/.*<Message>/, ""); message = 1 }
            inside && message {
                line = $0; done = sub(/<\/Message>.*/, "", line)
                if (lines < 8 && line != "") { print "      " unescape(line); lines++ }
                if (done) { message = 0; inside = 0 }
            }
            /<\/UnitTestResult>/ { inside = 0; message = 0 }
        ' "$trx"
    done
fi

if [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
