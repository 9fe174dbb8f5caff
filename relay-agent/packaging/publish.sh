#!/usr/bin/env bash
# Builds the relay agent's release folder: the agent as one native executable (ahead-of-time compiled: no .NET and no
# JIT on the host), its default settings and device profiles, the systemd unit and the install script.
#   relay-agent/packaging/publish.sh [RUNTIME] [OUTPUT]     RUNTIME linux-x64 (default), linux-arm64 or win-x64
# The folder (default .local/relay-agent-<runtime>) is what an operator copies to a host and runs install.sh from.
# Native builds need clang (and for linux-arm64 on an x64 machine: lld and Debian's gcc-aarch64-linux-gnu and
# binutils-aarch64-linux-gnu); win-x64 cannot be compiled natively from Linux and is a self-contained single file.
# Any trimming or AOT warning that is not listed in aot-warnings.txt beside this script fails the build.
set -euo pipefail

runtime="${1:-linux-x64}"
packaging="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$packaging/../.." && pwd)"
output="${2:-$root/.local/relay-agent-$runtime}"
case "$runtime" in
    linux-x64|linux-arm64|win-x64) ;;
    *) echo "publish: runtime must be linux-x64, linux-arm64 or win-x64, not '$runtime'" >&2; exit 2 ;;
esac

require() {
    command -v "$1" >/dev/null 2>&1 || { echo "publish: $runtime needs $1 (apt-get install $2)" >&2; exit 1; }
}

properties=(-p:TreatWarningsAsErrors=false)
case "$runtime" in
    win-x64)
        # .NET compiles natively only for the OS it runs on; Windows hosts get the JIT runtime in one compressed file.
        properties+=(-p:PublishAot=false --self-contained -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:DebugType=embedded) ;;
    *)
        require clang clang
        machine="$(uname -m)"
        if [ "$runtime" = linux-arm64 ] && [ "$machine" != aarch64 ]; then
            require ld.lld lld
            require aarch64-linux-gnu-objcopy binutils-aarch64-linux-gnu
            [ -d /usr/lib/gcc-cross/aarch64-linux-gnu ] || { echo "publish: linux-arm64 needs the cross C runtime (apt-get install gcc-aarch64-linux-gnu)" >&2; exit 1; }
            properties+=(-p:LinkerFlavor=lld -p:ObjCopyName=aarch64-linux-gnu-objcopy)
        elif [ "$runtime" = linux-x64 ] && [ "$machine" != x86_64 ]; then
            echo "publish: linux-x64 is built on an x86_64 machine (this is $machine)" >&2
            exit 1
        fi ;;
esac

rm -rf "$output"
# Builds in a private artifacts folder, so publishing never rewrites the build outputs a running test or host uses.
artifacts="$(mktemp -d)"
log="$artifacts/publish.log"
trap 'rm -rf "$artifacts"' EXIT
if ! dotnet publish "$root/relay-agent/Serverless.RelayAgent/Serverless.RelayAgent.csproj" -c Release -r "$runtime" -nologo \
    "${properties[@]}" --artifacts-path "$artifacts" -o "$output" >"$log" 2>&1; then
    cat "$log" >&2
    echo "publish: dotnet publish failed for $runtime" >&2
    exit 1
fi
"$packaging/check-aot-warnings.sh" "$log" "$packaging/aot-warnings.txt"

if [ "$runtime" = win-x64 ]; then
    mv "$output/Serverless.RelayAgent.exe" "$output/relay-agent.exe"
else
    mv "$output/Serverless.RelayAgent" "$output/relay-agent"
    cp "$packaging/install.sh" "$packaging/relay-agent.service" "$root/relay-agent/README.md" "$output/"
    chmod 0755 "$output/install.sh" "$output/relay-agent"
fi
find "$output" -maxdepth 1 \( -name '*.pdb' -o -name '*.xml' -o -name '*.dbg' \) -delete
echo "$output"
