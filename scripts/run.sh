#!/usr/bin/env bash
# Sets everything up and runs the local system: Azurite, the Service Bus emulator, the local Functions host on
# http://localhost:7071/api, a relay agent for the demo client zone "demo-site" (with the site's simulated load balancer,
# snmpd, and a libvirt test-driver host) and one for the demo provider zone "demo-cloud" (with a test-driver host); both
# hosts hold the image ubuntu-24.04. When one part exits the others keep running and the script says how to restart it; Ctrl+C (or
# TERM) stops them all, last started first.
#
#   scripts/run.sh [--configuration Debug|Release] [--no-build]   run the local system
#   scripts/run.sh restart PART                                   start a part of the running system again
#
# Keys are generated once into .local/keys.env (git-ignored). RUN_STATE_DIR moves .local elsewhere; the ports are
# LocalHost__Port, SERVICEBUS_EMULATOR_PORT, APPLIANCE_SNMP_PORT and AZURITE_BLOB_PORT/_QUEUE_PORT/_TABLE_PORT.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
state="${RUN_STATE_DIR:-.local}"
mkdir -p "$state/run"
part_names="azurite servicebus host appliance demo-agent cloud-agent"

if [ "${1:-}" = restart ]; then
    part="${2:-}"
    case " $part_names " in
        *" $part "*) ;;
        *) echo "run: restart which part? one of: $part_names" >&2; exit 2 ;;
    esac
    supervisor="$(cat "$state/run/run.pid" 2>/dev/null || true)"
    if [ -z "$supervisor" ] || ! kill -0 "$supervisor" 2>/dev/null; then
        echo "run: the local system is not running; start it with scripts/run.sh" >&2
        exit 1
    fi
    echo "$part" >> "$state/run/restart-requests"
    kill -USR1 "$supervisor"
    echo "run: asked the running system (pid $supervisor) to start $part again"
    exit 0
fi

configuration=Debug
build=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --configuration) configuration="${2:?--configuration needs Debug or Release}"; shift 2 ;;
        --no-build) build=""; shift ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

# --no-build skips set-up and build: it runs what the last build left (the test command's Release build, for example).
[ -z "$build" ] || bash scripts/setup.sh

port="${LocalHost__Port:-7071}"
servicebus_port="${SERVICEBUS_EMULATOR_PORT:-5672}"
snmp_port="${APPLIANCE_SNMP_PORT:-1161}"
blob_port="${AZURITE_BLOB_PORT:-10000}" queue_port="${AZURITE_QUEUE_PORT:-10001}" table_port="${AZURITE_TABLE_PORT:-10002}"
settings="$state/local.settings.json"
[ -f "$settings" ] || cp functions/Serverless.Functions/local.settings.template.json "$settings"
# Settings added to the template since the copy was made are merged in; values already in the copy are kept.
node -e '
const fs = require("fs");
const [template, file] = process.argv.slice(1).map(p => JSON.parse(fs.readFileSync(p, "utf8")));
file.Values = { ...template.Values, ...(file.Values || {}) };
fs.writeFileSync(process.argv[2], JSON.stringify(file, null, 2) + "\n");
' functions/Serverless.Functions/local.settings.template.json "$settings"
key() { head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40; }
if [ ! -f "$state/keys.env" ]; then
    printf 'export LocalHost__MasterKey=%s\nexport LocalHost__FunctionKey=%s\n' "$(key)" "$(key)" > "$state/keys.env"
    chmod 600 "$state/keys.env"
fi
grep -q SERVICEBUS_AGENT_KEY "$state/keys.env" || printf 'export SERVICEBUS_AGENT_KEY=%s\n' "$(key)" >> "$state/keys.env"
# shellcheck disable=SC1090
source "$state/keys.env"

if [ -n "$build" ]; then
    for project in functions/Serverless.Functions.LocalHost tests/Serverless.ServiceBusEmulator relay-agent/Serverless.RelayAgent tests/Serverless.SnmpAppliance; do
        dotnet build "$project" -c "$configuration" --no-restore -nologo -clp:ErrorsOnly
    done
fi
bin() { echo "$1/bin/$configuration/net10.0/$(basename "$1").dll"; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Waits for a port, up to $2 seconds (30 by default): a loaded machine can take a minute to start the host.
wait_for() { for _ in $(seq 1 $((${2:-30} * 10))); do listening "$1" && return 0; sleep 0.1; done; echo "run: nothing listens on port $1" >&2; return 1; }

# Azurite's well-known development account (public, the same in every Azurite).
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
export AzureWebJobsStorage="$storage"
export ServiceBusConnection="Endpoint=sb://127.0.0.1:$servicebus_port;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;"
# What enrolment hands to the default tenant's agents: Listen on its queue only.
agent_connection="Endpoint=sb://127.0.0.1:$servicebus_port;SharedAccessKeyName=agents;SharedAccessKey=$SERVICEBUS_AGENT_KEY;EntityPath=commands-default;UseDevelopmentEmulator=true;"
export CommandChannel__AgentConnections__default="$agent_connection"
api="http://127.0.0.1:$port/api"

# Each part: a function that starts it in the background (exec'd, so $! is the part itself) and waits until it serves.
start_azurite() {
    mkdir -p "$state/azurite"
    node_modules/.bin/azurite --silent --skipApiVersionCheck --location "$state/azurite" --debug "$state/azurite/debug.log" \
        --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
        --blobPort "$blob_port" --queuePort "$queue_port" --tablePort "$table_port" &
    started=$!
    wait_for "$table_port"
}

start_servicebus() {
    mkdir -p "$state/servicebus"
    # The same queue as the tests' and the deployment's: one template, filled in here.
    sed -e "s/\${QUEUE}/commands-default/" -e "s/\${LOCK_SECONDS}/30/" -e "s/\${AGENT_KEY_NAME}/agents/" \
        -e "s/\${AGENT_KEY}/$SERVICEBUS_AGENT_KEY/" -e "s/\${OTHER_QUEUES}//" \
        tests/Serverless.ServiceBusEmulator/tenant-queue.json > "$state/servicebus/Config.json"
    dotnet "$(bin tests/Serverless.ServiceBusEmulator)" --config "$state/servicebus/Config.json" --port "$servicebus_port" &
    started=$!
    wait_for "$servicebus_port"
}

start_host() {
    dotnet "$(bin functions/Serverless.Functions.LocalHost)" --settings "$settings" --port "$port" &
    started=$!
    wait_for "$port" 120
}

# The demo site's appliance: a simulated load balancer (snmpd + pass_persist member table) on 127.0.0.1:$snmp_port.
start_appliance() {
    mkdir -p "$state/appliance/persist"
    [ -f "$state/appliance/members.json" ] || printf '%s' \
        '{"members":[{"index":1,"adminState":1,"connections":0,"cpuPercent":0},{"index":2,"adminState":1,"connections":0,"cpuPercent":0}]}' \
        > "$state/appliance/members.json"
    cat > "$state/appliance/snmpd.conf" <<CONF
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
createUser demoadmin SHA-256 "demo-auth-pass" AES "demo-priv-pass"
rwuser demoadmin priv
pass_persist .1.3.6.1.4.1.8072.9999.1 $(command -v dotnet) $root/$(bin tests/Serverless.SnmpAppliance) --state $(cd "$state" && pwd)/appliance/members.json
CONF
    SNMP_PERSISTENT_DIR="$(cd "$state" && pwd)/appliance/persist" MIBS="" /usr/sbin/snmpd -f -Lo -C -c "$state/appliance/snmpd.conf" "udp:127.0.0.1:$snmp_port" \
        > "$state/appliance/snmpd.log" 2>&1 &
    started=$!
}

# A libvirt test-driver host of the zone's own: a storage pool "images" holding the base volume of image ubuntu-24.04.
host_uri() {
    local folder
    folder="$(mkdir -p "$state/hosts/$1" && cd "$state/hosts/$1" && pwd)"
    cat > "$folder/node.xml" <<XML
<node>
  <cpu><mhz>2400</mhz><model>x86_64</model><active>8</active><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>2</threads></cpu>
  <memory>16777216</memory>
  <pool type='dir'><name>images</name><capacity>107374182400</capacity><allocation>0</allocation><available>107374182400</available>
    <source/><target><path>$folder/images</path></target>
    <volume type='file'><name>ubuntu.qcow2</name><capacity>1073741824</capacity><allocation>1048576</allocation><target><format type='qcow2'/></target></volume>
  </pool>
</node>
XML
    echo "test://$folder/node.xml"
}

# A zone and one relay agent holding its session (a fresh credential on every start); extra settings as NAME=VALUE.
start_agent() {
    local agent="$1" zone="$2" kind="$3" credential
    shift 3
    curl -fsS -o /dev/null -X POST -H "x-functions-key: $LocalHost__FunctionKey" -H 'content-type: application/json' \
        -d "{\"name\":\"$zone\",\"kind\":\"$kind\",\"site\":\"Local demo\"}" "$api/v1/zones" 2>/dev/null || true
    credential="$(curl -fsS --retry 10 --retry-connrefused --retry-delay 1 -X POST -H "x-functions-key: $LocalHost__MasterKey" -H 'content-type: application/json' \
        -d "{\"agentId\":\"$agent\",\"agentGroup\":\"$zone\"}" "$api/v1/agents/credentials" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')" || true
    if [ -z "$credential" ]; then
        echo "run: could not issue $agent's credential (is the host up?)" >&2
        started=""
        return
    fi
    env RelayAgent__AgentId="$agent" RelayAgent__AgentGroup="$zone" RelayAgent__TenantId=default \
        RelayAgent__QueueName=commands-default RelayAgent__ControlPlaneUrl="http://127.0.0.1:$port/" RelayAgent__Credential="$credential" \
        RelayAgent__ServiceBusConnection="$agent_connection" \
        RelayAgent__Libvirt__Images__ubuntu-24.04=images/ubuntu.qcow2 RelayAgent__Libvirt__Network=default \
        RelayAgent__Libvirt__StateDirectory="$PWD/$state/agents/$agent/migrations" \
        "$@" dotnet "$(bin relay-agent/Serverless.RelayAgent)" &
    started=$!
}

# The demo site (client zone): the load balancer's SNMPv3 credential, libvirt's test:///default and the site's host.
start_demo-agent() {
    start_agent demo-agent demo-site client \
        RelayAgent__Snmp__Credentials__demo-lb__Version=3 RelayAgent__Snmp__Credentials__demo-lb__User=demoadmin \
        RelayAgent__Snmp__Credentials__demo-lb__AuthProtocol=SHA-256 RelayAgent__Snmp__Credentials__demo-lb__AuthPassword=demo-auth-pass \
        RelayAgent__Snmp__Credentials__demo-lb__PrivProtocol=AES RelayAgent__Snmp__Credentials__demo-lb__PrivPassword=demo-priv-pass \
        RelayAgent__Libvirt__Uris__0=test:///default RelayAgent__Libvirt__Uris__1="$site_host"
}

# The demo cloud (provider zone): its own host.
start_cloud-agent() {
    start_agent cloud-agent demo-cloud provider RelayAgent__Libvirt__Uris__0="$cloud_host"
}

declare -A pid_of=()
order=()
# Starts a part and records its pid (in $state/run/PART.pid too, for `kill` by hand).
start() {
    local part="$1" started=""
    "start_$1"
    [ -n "$started" ] || return 0
    pid_of[$part]="$started"
    echo "$started" > "$state/run/$part.pid"
    case " ${order[*]} " in *" $part "*) ;; *) order+=("$part") ;; esac
}

stop() {
    trap - EXIT INT TERM
    # Last started, first stopped: the agent and the host still need the emulator and Azurite while they stop.
    for ((i = ${#order[@]} - 1; i >= 0; i--)); do
        pid="${pid_of[${order[$i]}]:-}"
        [ -n "$pid" ] || continue
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        # Reaped here, so nothing of ours is left behind, not even as a zombie, when the script exits.
        wait "$pid" 2>/dev/null || true
        rm -f "$state/run/${order[$i]}.pid"
    done
    rm -f "$state/run/run.pid" "$state/run/restart-requests"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
restart_requested=""
trap 'restart_requested=yes' USR1
echo $$ > "$state/run/run.pid"
rm -f "$state/run/restart-requests"

site_host="$(host_uri demo-site)"
cloud_host="$(host_uri demo-cloud)"
if listening "$table_port"; then
    echo "run: Azurite (or something else) already listens on port $table_port; using it"
else
    start azurite
fi
if listening "$servicebus_port"; then
    echo "run: port $servicebus_port is taken; set SERVICEBUS_EMULATOR_PORT to another port" >&2
    exit 1
fi
start servicebus
start host
start appliance
start demo-agent
start cloud-agent

cat <<INFO

  API:           http://localhost:$port/api   (health: curl http://localhost:$port/api/v1/health)
  Service Bus:   emulator on 127.0.0.1:$servicebus_port (queue commands-default), config in $state/servicebus
  Demo agents:   demo-agent holds the session of client zone demo-site (hosts test:///default and
                 $site_host), cloud-agent that of provider zone demo-cloud
                 (host $cloud_host); both hosts offer image ubuntu-24.04
  Appliance:     simulated load balancer (snmpd) on 127.0.0.1:$snmp_port, communities public/private, v3 user demoadmin
                 (the demo agent holds it as SNMP credential "demo-lb"); try
                   dotnet $(bin relay-agent/Serverless.RelayAgent) snmp walk \\
                     127.0.0.1:$snmp_port 1.3.6.1.4.1.8072.9999.1
  Keys:          in $state/keys.env (source it; send LocalHost__FunctionKey as header x-functions-key)
  Try:           source $state/keys.env && curl -X POST -H "x-functions-key: \$LocalHost__FunctionKey" \\
                   http://localhost:$port/api/v1/zones/demo-site/ping     # then GET the operationUrl it returns
  Parts:         $part_names (pids in $state/run/PART.pid); when one exits the rest keeps running;
                 scripts/run.sh restart PART starts it again; Ctrl+C stops everything

INFO

# Supervise: report a part that exits, start parts again on request, until INT or TERM.
while true; do
    if [ -n "$restart_requested" ]; then
        restart_requested=""
        requests="$(cat "$state/run/restart-requests" 2>/dev/null || true)"
        rm -f "$state/run/restart-requests"
        for part in $requests; do
            if [ -n "${pid_of[$part]:-}" ] && kill -0 "${pid_of[$part]}" 2>/dev/null; then
                echo "run: $part is running (pid ${pid_of[$part]}); nothing to restart"
            else
                start "$part"
                echo "run: $part started again (pid ${pid_of[$part]:-none})"
            fi
        done
    fi

    live=()
    for part in "${order[@]}"; do
        [ -z "${pid_of[$part]:-}" ] || live+=("${pid_of[$part]}")
    done
    if [ ${#live[@]} -eq 0 ]; then
        # Nothing left to wait for: sleep in the background so a restart request (USR1) still gets through.
        sleep 1 &
        wait $! || true
        continue
    fi

    unset exited
    status=0
    wait -n -p exited "${live[@]}" || status=$?
    [ -n "${exited:-}" ] || continue
    for part in "${order[@]}"; do
        if [ "${pid_of[$part]:-}" = "$exited" ]; then
            pid_of[$part]=""
            rm -f "$state/run/$part.pid"
            echo "run: $part (pid $exited) exited with status $status; the rest keeps running. Start it again: scripts/run.sh restart $part" >&2
        fi
    done
done
