#!/usr/bin/env bash
# Runs every crash matrix in full (CRASH_MATRIX=full): each workflow killed at every step boundary its crash-free run's
# durable history shows. scripts/test.sh runs three seeded points of each; this runs them all (254 kill points: 28.5 minutes of tests on 2 cores).
# The last line is "N passed, N failed"; the exit code is non-zero on any failure.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

fail() {
    echo "$1" >&2
    echo "0 passed, 1 failed"
    exit 1
}

bash scripts/setup.sh || fail "crash-matrix: setup failed"
dotnet build Serverless.sln -c Release --no-restore -nologo -clp:ErrorsOnly || fail "crash-matrix: build failed"

mkdir -p .local
CRASH_MATRIX=full dotnet test tests/Serverless.IntegrationTests -c Release --no-build -nologo \
    --filter "FullyQualifiedName~CrashTests" --logger "console;verbosity=detailed" | tee .local/crash-matrix.log
status=${PIPESTATUS[0]}
passed=$(grep -c '^  Passed ' .local/crash-matrix.log)
failed=$(grep -c '^  Failed ' .local/crash-matrix.log)
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
