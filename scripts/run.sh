#!/usr/bin/env bash
# Sets everything up and runs the local system: Azurite and the local Functions host on http://localhost:7071/api.
# Ctrl+C stops both. Keys are generated once into .local/keys.env (git-ignored).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh

port="${LocalHost__Port:-7071}"
settings=.local/local.settings.json
[ -f "$settings" ] || cp functions/Serverless.Functions/local.settings.template.json "$settings"
if [ ! -f .local/keys.env ]; then
    key() { head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40; }
    printf 'export LocalHost__MasterKey=%s\nexport LocalHost__FunctionKey=%s\n' "$(key)" "$(key)" > .local/keys.env
    chmod 600 .local/keys.env
fi
# shellcheck disable=SC1091
source .local/keys.env

dotnet build functions/Serverless.Functions.LocalHost -c Debug --no-restore -nologo -clp:ErrorsOnly

started_azurite=""
if ! (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
    mkdir -p .local/azurite
    node_modules/.bin/azurite --silent --skipApiVersionCheck --location .local/azurite --debug .local/azurite/debug.log \
        --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &
    started_azurite=$!
    echo "$started_azurite" > .local/azurite.pid
    for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null && break; sleep 0.1; done
fi
stop() {
    if [ -n "$started_azurite" ]; then kill "$started_azurite" 2>/dev/null || true; rm -f .local/azurite.pid; fi
}
trap stop EXIT

cat <<INFO

  API:           http://localhost:$port/api   (health: curl http://localhost:$port/api/v1/health)
  Keys:          in .local/keys.env (source it; send LocalHost__FunctionKey as header x-functions-key)
  Try:           source .local/keys.env && curl -H "x-functions-key: \$LocalHost__FunctionKey" -H 'content-type: application/json' \\
                   -d '{"name":"dc-1","kind":"client","site":"Frankfurt"}' http://localhost:$port/api/v1/zones

INFO
dotnet functions/Serverless.Functions.LocalHost/bin/Debug/net10.0/Serverless.Functions.LocalHost.dll --settings "$settings" --port "$port"
