#!/usr/bin/env bash
# Installs what the local system and the tests need, idempotently: npm packages (Azurite), Debian packages when
# later components need them, and the .NET packages. Sourced by run.sh and test.sh; safe to run on its own.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v dotnet >/dev/null 2>&1; then
    echo "setup: the .NET 10 SDK is required (dotnet not found on PATH)." >&2
    exit 1
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "setup: installing Node.js and npm (apt-get)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

# net-snmp's agent: the SNMP tests and the local demo site run real snmpd processes (never the system service).
if ! command -v snmpd >/dev/null 2>&1; then
    echo "setup: installing snmpd (apt-get)" >&2
    apt-get update -qq
    # policy-rc.d 101 keeps the package from starting the system-wide agent on port 161; an existing policy is kept.
    created_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
        created_policy=yes
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends snmpd >/dev/null
    [ -z "$created_policy" ] || rm -f /usr/sbin/policy-rc.d
fi

# libvirt's C library: the agent's libvirt binding P/Invokes it; tests use its in-process test driver (no daemon).
if ! ldconfig -p 2>/dev/null | grep 'libvirt\.so\.0 ' >/dev/null; then
    echo "setup: installing libvirt0 (apt-get)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libvirt0 >/dev/null
fi

# clang: the relay agent ships as a native file (relay-agent/packaging/publish.sh), and .NET's ahead-of-time compiler
# links it with clang; the packaging tests publish it.
if ! command -v clang >/dev/null 2>&1; then
    echo "setup: installing clang (apt-get) for the relay agent's native build" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang >/dev/null
fi

# systemd-analyze: the packaging tests verify the relay agent's unit with it (the package only adds tools when
# systemd is not the init, as in containers).
if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "setup: installing systemd (apt-get) for systemd-analyze" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd >/dev/null
fi

# A real hypervisor where the machine has one: the KVM tests run QEMU/KVM guests under libvirtd (started by the tests,
# outside systemd) and read them back with virsh; qemu-img makes their base volumes. Without /dev/kvm they are skipped.
if [ -e /dev/kvm ] && ! { command -v libvirtd && command -v virsh && command -v qemu-img && command -v qemu-system-x86_64; } >/dev/null 2>&1; then
    echo "setup: installing libvirtd, QEMU/KVM and virsh (apt-get) for the KVM tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86 qemu-utils libvirt-clients >/dev/null
fi

# A real browser for the web console's tests (driven by puppeteer-core from npm; Playwright's own download cannot work here).
if ! command -v chromium >/dev/null 2>&1; then
    echo "setup: installing chromium (apt-get) for the console tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# Azurite, Chart.js (built into the console) and puppeteer-core, pinned in package.json/package-lock.json, into
# ./node_modules (git-ignored).
if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "setup: npm ci (Azurite, Chart.js, puppeteer-core)" >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
fi

mkdir -p .local
echo "setup: dotnet restore" >&2
dotnet restore Serverless.sln --verbosity quiet >&2
