#!/usr/bin/env bash
# Sets everything up and runs the local system: Azurite, the Service Bus emulator, the local Functions host on
# http://localhost:7071/api, one relay agent for the demo client zone "demo-site", and the demo site's simulated load
# balancer (snmpd). Ctrl+C stops them all.
# Keys are generated once into .local/keys.env (git-ignored).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh

port="${LocalHost__Port:-7071}"
servicebus_port="${SERVICEBUS_EMULATOR_PORT:-5672}"
snmp_port="${APPLIANCE_SNMP_PORT:-1161}"
settings=.local/local.settings.json
[ -f "$settings" ] || cp functions/Serverless.Functions/local.settings.template.json "$settings"
# Settings added to the template since the copy was made are merged in; values already in the copy are kept.
node -e '
const fs = require("fs");
const [template, file] = process.argv.slice(1).map(p => JSON.parse(fs.readFileSync(p, "utf8")));
file.Values = { ...template.Values, ...(file.Values || {}) };
fs.writeFileSync(process.argv[2], JSON.stringify(file, null, 2) + "\n");
' functions/Serverless.Functions/local.settings.template.json "$settings"
key() { head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40; }
if [ ! -f .local/keys.env ]; then
    printf 'export LocalHost__MasterKey=%s\nexport LocalHost__FunctionKey=%s\n' "$(key)" "$(key)" > .local/keys.env
    chmod 600 .local/keys.env
fi
grep -q SERVICEBUS_AGENT_KEY .local/keys.env || printf 'export SERVICEBUS_AGENT_KEY=%s\n' "$(key)" >> .local/keys.env
# shellcheck disable=SC1091
source .local/keys.env

for project in functions/Serverless.Functions.LocalHost tests/Serverless.ServiceBusEmulator relay-agent/Serverless.RelayAgent tests/Serverless.SnmpAppliance; do
    dotnet build "$project" -c Debug --no-restore -nologo -clp:ErrorsOnly
done

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { for _ in $(seq 1 300); do listening "$1" && return 0; sleep 0.1; done; echo "run: nothing listens on port $1" >&2; return 1; }

pids=()
stop() {
    trap - EXIT INT TERM
    # Last started, first stopped: the agent and the host still need the emulator and Azurite while they stop.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        pid="${pids[$i]}"
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! listening 10002; then
    mkdir -p .local/azurite
    node_modules/.bin/azurite --silent --skipApiVersionCheck --location .local/azurite --debug .local/azurite/debug.log \
        --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &
    pids+=($!)
    wait_for 10002
fi

mkdir -p .local/servicebus
cat > .local/servicebus/Config.json <<JSON
{
  "UserConfig": {
    "Namespaces": [
      {
        "Name": "sbemulatorns",
        "Queues": [
          {
            "Name": "commands-default",
            "Properties": {
              "RequiresSession": true, "LockDuration": "PT30S", "MaxDeliveryCount": 10,
              "RequiresDuplicateDetection": true, "DuplicateDetectionHistoryTimeWindow": "PT10M",
              "DeadLetteringOnMessageExpiration": true, "DefaultMessageTimeToLive": "P1D"
            },
            "SharedAccessPolicies": [ { "KeyName": "agents", "Key": "$SERVICEBUS_AGENT_KEY", "Rights": [ "Listen" ] } ]
          }
        ]
      }
    ]
  }
}
JSON
if listening "$servicebus_port"; then
    echo "run: port $servicebus_port is taken; set SERVICEBUS_EMULATOR_PORT to another port" >&2
    exit 1
fi
dotnet tests/Serverless.ServiceBusEmulator/bin/Debug/net10.0/Serverless.ServiceBusEmulator.dll \
    --config .local/servicebus/Config.json --port "$servicebus_port" &
pids+=($!)
wait_for "$servicebus_port"

export ServiceBusConnection="Endpoint=sb://127.0.0.1:$servicebus_port;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;"
# What enrolment hands to the default tenant's agents: Listen on its queue only.
agent_connection="Endpoint=sb://127.0.0.1:$servicebus_port;SharedAccessKeyName=agents;SharedAccessKey=$SERVICEBUS_AGENT_KEY;EntityPath=commands-default;UseDevelopmentEmulator=true;"
export CommandChannel__AgentConnections__default="$agent_connection"
dotnet functions/Serverless.Functions.LocalHost/bin/Debug/net10.0/Serverless.Functions.LocalHost.dll --settings "$settings" --port "$port" &
pids+=($!)
wait_for "$port"

# The demo site's appliance: a simulated load balancer (snmpd + pass_persist member table) on 127.0.0.1:$snmp_port.
mkdir -p .local/appliance
[ -f .local/appliance/members.json ] || printf '%s' \
    '{"members":[{"index":1,"adminState":1,"connections":0,"cpuPercent":0},{"index":2,"adminState":1,"connections":0,"cpuPercent":0}]}' \
    > .local/appliance/members.json
cat > .local/appliance/snmpd.conf <<CONF
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
createUser demoadmin SHA-256 "demo-auth-pass" AES "demo-priv-pass"
rwuser demoadmin priv
pass_persist .1.3.6.1.4.1.8072.9999.1 $(command -v dotnet) $root/tests/Serverless.SnmpAppliance/bin/Debug/net10.0/Serverless.SnmpAppliance.dll --state $root/.local/appliance/members.json
CONF
mkdir -p .local/appliance/persist
SNMP_PERSISTENT_DIR="$root/.local/appliance/persist" MIBS="" /usr/sbin/snmpd -f -Lo -C -c .local/appliance/snmpd.conf "udp:127.0.0.1:$snmp_port" \
    > .local/appliance/snmpd.log 2>&1 &
pids+=($!)

# The demo site: a client zone and one relay agent holding its session.
api="http://127.0.0.1:$port/api"
curl -fsS -o /dev/null -X POST -H "x-functions-key: $LocalHost__FunctionKey" -H 'content-type: application/json' \
    -d '{"name":"demo-site","kind":"client","site":"Local demo"}' "$api/v1/zones" 2>/dev/null || true
credential="$(curl -fsS -X POST -H "x-functions-key: $LocalHost__MasterKey" -H 'content-type: application/json' \
    -d '{"agentId":"demo-agent","agentGroup":"demo-site"}' "$api/v1/agents/credentials" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
[ -n "$credential" ] || { echo "run: could not issue the demo agent's credential" >&2; exit 1; }
RelayAgent__AgentId=demo-agent RelayAgent__AgentGroup=demo-site RelayAgent__TenantId=default \
RelayAgent__QueueName=commands-default RelayAgent__ControlPlaneUrl="http://127.0.0.1:$port/" RelayAgent__Credential="$credential" \
RelayAgent__ServiceBusConnection="$agent_connection" \
env RelayAgent__Snmp__Credentials__demo-lb__Version=3 RelayAgent__Snmp__Credentials__demo-lb__User=demoadmin \
    RelayAgent__Snmp__Credentials__demo-lb__AuthProtocol=SHA-256 RelayAgent__Snmp__Credentials__demo-lb__AuthPassword=demo-auth-pass \
    RelayAgent__Snmp__Credentials__demo-lb__PrivProtocol=AES RelayAgent__Snmp__Credentials__demo-lb__PrivPassword=demo-priv-pass \
    RelayAgent__Libvirt__Uris__0=test:///default \
    dotnet relay-agent/Serverless.RelayAgent/bin/Debug/net10.0/Serverless.RelayAgent.dll &
pids+=($!)

cat <<INFO

  API:           http://localhost:$port/api   (health: curl http://localhost:$port/api/v1/health)
  Service Bus:   emulator on 127.0.0.1:$servicebus_port (queue commands-default), config in .local/servicebus
  Demo agent:    demo-agent holds the session of zone demo-site
  Appliance:     simulated load balancer (snmpd) on 127.0.0.1:$snmp_port, communities public/private, v3 user demoadmin
                 (the demo agent holds it as SNMP credential "demo-lb"); try
                   dotnet relay-agent/Serverless.RelayAgent/bin/Debug/net10.0/Serverless.RelayAgent.dll snmp walk \\
                     127.0.0.1:$snmp_port 1.3.6.1.4.1.8072.9999.1
  Keys:          in .local/keys.env (source it; send LocalHost__FunctionKey as header x-functions-key)
  Try:           source .local/keys.env && curl -X POST -H "x-functions-key: \$LocalHost__FunctionKey" \\
                   http://localhost:$port/api/v1/zones/demo-site/ping     # then GET the operationUrl it returns

INFO
wait -n "${pids[@]}"
