#!/usr/bin/env bash
# Polling throughput of the relay agent against net-snmp's snmpget/snmpbulkget and the Prometheus SNMP exporter, in
# OIDs per CPU-second; installs the Debian packages it compares against, then runs bench/Serverless.Bench.SnmpPolling.
#
# Usage: scripts/bench-snmp-polling.sh [MEMBERS] [POLLS]    (defaults 250 and 200)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/setup.sh
missing=()
command -v snmpget >/dev/null 2>&1 || missing+=(snmp)
command -v prometheus-snmp-exporter >/dev/null 2>&1 || missing+=(prometheus-snmp-exporter)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "bench: installing ${missing[*]} (apt-get)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
dotnet run -c Release --project bench/Serverless.Bench.SnmpPolling -- "$@"
