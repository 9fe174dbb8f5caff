#!/usr/bin/env bash
# Installs or upgrades the relay agent as a hardened systemd service from its release folder (publish.sh), enrols it
# with a one-time code and starts it; or uninstalls it. Safe to run again: an upgrade keeps the configuration.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: sudo ./install.sh --url URL --code CODE --agent-id ID [--libvirt URI]... [--no-start] [--no-check] [--root DIR]
       sudo ./install.sh [--libvirt URI]... [--no-start] [--root DIR]      upgrade or change, keeping the enrolment
       sudo ./install.sh --uninstall [--purge] [--root DIR]

  --url        the control plane's base URL, for example https://func-abc123.azurewebsites.net/
  --code       the one-time enrolment code from your admin (POST /api/v1/enrolments), en1.…
  --agent-id   this agent's id: lowercase letters, digits and '-'
  --libvirt    a libvirt URI the agent may manage (qemu:///system, …); repeat for more. The service then runs with the
               libvirt group. Given again, it replaces the list.
  --no-start   install and enrol, but do not enable or start the service
  --no-check   do not run "relay-agent check" before starting
  --uninstall  stop and remove the service and the binary; the configuration (with the credential) stays unless
               --purge, which also removes it, the agent's state and its user
  --root DIR   install into DIR instead of / (a staging tree: no user, no systemctl)

Layout: /opt/relay-agent (binary, appsettings.json, Profiles/), /etc/relay-agent/agent.json (0640 root:relay-agent),
/etc/systemd/system/relay-agent.service, /usr/local/bin/relay-agent. Logs: journalctl -u relay-agent.
USAGE
}

source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="" url="" code="" agent_id="" uninstall="" purge="" start=yes check=yes
libvirt_uris=()
while [ $# -gt 0 ]; do
    case "$1" in
        --url|--code|--agent-id|--libvirt|--root)
            [ $# -ge 2 ] || { echo "install: $1 needs a value" >&2; usage >&2; exit 2; }
            case "$1" in
                --url) url="$2" ;; --code) code="$2" ;; --agent-id) agent_id="$2" ;;
                --libvirt) libvirt_uris+=("$2") ;; --root) root="$(cd "$2" && pwd)" ;;
            esac
            shift 2 ;;
        --uninstall) uninstall=yes; shift ;;
        --purge) purge=yes; shift ;;
        --no-start) start=""; shift ;;
        --no-check) check=""; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install: unexpected '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

opt="$root/opt/relay-agent"
etc="$root/etc/relay-agent"
config="$etc/agent.json"
units="$root/etc/systemd/system"
dropins="$units/relay-agent.service.d"
link="$root/usr/local/bin/relay-agent"
# A staging tree has no users to create and no systemd to tell.
staging="${root:+yes}"
systemd_running=""
if [ -z "$staging" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemd_running=yes
fi

if [ -z "$staging" ] && [ "$(id -u)" -ne 0 ]; then
    echo "install: run as root (sudo ./install.sh …)" >&2
    exit 1
fi

if [ -n "$uninstall" ]; then
    if [ -n "$systemd_running" ]; then
        systemctl disable --now relay-agent.service 2>/dev/null || true
    fi
    rm -rf "$units/relay-agent.service" "$dropins" "$opt" "$link"
    [ -z "$systemd_running" ] || systemctl daemon-reload
    if [ -n "$purge" ]; then
        rm -rf "$etc" "$root/var/lib/relay-agent"
        if [ -z "$staging" ] && id relay-agent >/dev/null 2>&1; then
            userdel relay-agent
        fi
        echo "install: relay agent removed with its configuration; revoke its credential on the control plane" \
            "(DELETE /api/v1/agents/credentials/<id>) if it is not already revoked"
    else
        echo "install: relay agent removed; its configuration stays in $config (--purge removes it)"
    fi
    exit 0
fi

for file in relay-agent relay-agent.service appsettings.json Profiles; do
    [ -e "$source_dir/$file" ] || { echo "install: $source_dir/$file is missing; run install.sh from the folder publish.sh made" >&2; exit 1; }
done
if [ -n "$code" ] && { [ -z "$url" ] || [ -z "$agent_id" ]; }; then
    echo "install: --code needs --url and --agent-id" >&2
    exit 2
fi
if [ -z "$code" ] && ! grep -q '"Credential"' "$config" 2>/dev/null; then
    echo "install: this host is not enrolled yet: give --url, --code and --agent-id" >&2
    exit 2
fi

if [ -z "$staging" ] && ! id relay-agent >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin relay-agent
fi

# Binary and shipped files: copied beside the old ones, then renamed over them, so a running agent is never torn.
install -d -m 0755 "$opt" "$(dirname "$link")" "$units"
install -m 0755 "$source_dir/relay-agent" "$opt/relay-agent.new"
install -m 0644 "$source_dir/appsettings.json" "$opt/appsettings.json.new"
rm -rf "$opt/Profiles.new" && cp -r "$source_dir/Profiles" "$opt/Profiles.new" && chmod -R u=rwX,go=rX "$opt/Profiles.new"
mv -f "$opt/relay-agent.new" "$opt/relay-agent"
mv -f "$opt/appsettings.json.new" "$opt/appsettings.json"
rm -rf "$opt/Profiles" && mv "$opt/Profiles.new" "$opt/Profiles"
[ ! -f "$source_dir/README.md" ] || install -m 0644 "$source_dir/README.md" "$opt/README.md"
ln -sfn /opt/relay-agent/relay-agent "$link"

install -d -m 0750 "$etc"
if [ -n "$code" ]; then
    "$opt/relay-agent" enrol --url "$url" --code "$code" --agent-id "$agent_id" --config "$config"
fi

if [ ${#libvirt_uris[@]} -gt 0 ]; then
    "$opt/relay-agent" config unset --config "$config" RelayAgent:Libvirt:Uris >/dev/null
    settings=()
    for i in "${!libvirt_uris[@]}"; do
        settings+=("RelayAgent:Libvirt:Uris:$i=${libvirt_uris[$i]}")
    done
    "$opt/relay-agent" config set --config "$config" "${settings[@]}"
    install -d -m 0755 "$dropins"
    printf '# Written by install.sh --libvirt: the agent talks to libvirtd through its socket.\n[Service]\nSupplementaryGroups=libvirt\n' \
        > "$dropins/libvirt.conf"
    if [ -z "$staging" ] && ! getent group libvirt >/dev/null; then
        echo "install: warning: there is no libvirt group on this host (is libvirt-daemon-system installed?);" \
            "the service will not start until it exists" >&2
    fi
fi

# The configuration holds the credential and the Service Bus key: root writes it, the agent's group reads it.
chmod 0640 "$config"
if [ -z "$staging" ]; then
    chown root:relay-agent "$etc" "$config"
fi
install -m 0644 "$source_dir/relay-agent.service" "$units/relay-agent.service"

if [ -n "$check" ]; then
    check_as=()
    if [ -z "$staging" ] && command -v runuser >/dev/null 2>&1; then
        check_as=(runuser -u relay-agent --)
    fi
    if ! "${check_as[@]}" "$opt/relay-agent" check --config "$config"; then
        echo "install: installed, but a check failed (see the fix on its line); the service was not started." \
            "After fixing it: sudo ./install.sh (or systemctl restart relay-agent)" >&2
        exit 1
    fi
fi

if [ -z "$systemd_running" ]; then
    [ -n "$staging" ] || echo "install: systemd is not running here; start the agent with: $opt/relay-agent --config $config"
    exit 0
fi
systemctl daemon-reload
if [ -n "$start" ]; then
    systemctl enable relay-agent.service >/dev/null
    systemctl restart relay-agent.service
    echo "install: relay agent running; follow it with: journalctl -u relay-agent -f"
else
    echo "install: relay agent installed (not started): systemctl enable --now relay-agent"
fi
