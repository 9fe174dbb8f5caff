#!/usr/bin/env bash
# Builds the relay agent's release folder: the agent as one self-contained executable (no .NET needed on the host),
# its default settings and device profiles, the systemd unit and the install script.
#   relay-agent/packaging/publish.sh [RUNTIME] [OUTPUT]     RUNTIME linux-x64 (default), linux-arm64 or win-x64
# The folder (default .local/relay-agent-<runtime>) is what an operator copies to a host and runs install.sh from.
set -euo pipefail

runtime="${1:-linux-x64}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
output="${2:-$root/.local/relay-agent-$runtime}"
case "$runtime" in
    linux-x64|linux-arm64|win-x64) ;;
    *) echo "publish: runtime must be linux-x64, linux-arm64 or win-x64, not '$runtime'" >&2; exit 2 ;;
esac

rm -rf "$output"
# Builds in a private artifacts folder, so publishing never rewrites the build outputs a running test or host uses.
artifacts="$(mktemp -d)"
trap 'rm -rf "$artifacts"' EXIT
# Compressed single file: the agent runs for months, so a slower first start buys a binary half the size.
dotnet publish "$root/relay-agent/Serverless.RelayAgent/Serverless.RelayAgent.csproj" -c Release -r "$runtime" -nologo \
    --self-contained -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:DebugType=embedded \
    --artifacts-path "$artifacts" -o "$output" >&2

if [ "$runtime" = win-x64 ]; then
    mv "$output/Serverless.RelayAgent.exe" "$output/relay-agent.exe"
else
    mv "$output/Serverless.RelayAgent" "$output/relay-agent"
    cp "$root/relay-agent/packaging/install.sh" "$root/relay-agent/packaging/relay-agent.service" "$root/relay-agent/README.md" "$output/"
    chmod 0755 "$output/install.sh" "$output/relay-agent"
fi
find "$output" -maxdepth 1 \( -name '*.pdb' -o -name '*.xml' \) -delete
echo "$output"
