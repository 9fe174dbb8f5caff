#!/usr/bin/env bash
# The relay agent's native file against its JIT build and net-snmp's C tools: one-shot bulk walk, start-up, idle
# footprint, polling throughput. Installs what it compares against, then runs bench/Serverless.Bench.AgentFootprint.
#
# Usage: scripts/bench-agent-footprint.sh [ROWS] [ROUNDS] [IDLE-SECONDS] [--native FILE]    (defaults 20000 10 300)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/setup.sh
if ! command -v snmpbulkwalk >/dev/null 2>&1; then
    echo "bench: installing snmp (apt-get)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends snmp >/dev/null
fi
dotnet run -c Release --project bench/Serverless.Bench.AgentFootprint -- "$@"
