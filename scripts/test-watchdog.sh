#!/usr/bin/env bash
# Usage: test-watchdog.sh PARENT_PID PID_FILE
# Started by the test fixtures (tests/Serverless.Testing/ChildProcess.cs) once per test process, in a session of its own.
# When the test process dies without stopping what it started (kill -9, a crashed or timed-out run), kills every process
# group listed in PID_FILE (lines "pid start-time"), each only if its leader is still the process that was started
# (same start time in /proc), so a pid the system has since reused is left alone.
set -u
# Let go of the test process's output pipes at once: whoever reads them must not wait for this script.
exec </dev/null >/dev/null 2>&1
parent="$1"
file="$2"
while kill -0 "$parent" 2>/dev/null; do
    sleep 1
done

[ -f "$file" ] || exit 0
while read -r pid started; do
    # Field 22 of /proc/PID/stat is the start time; the command name before it may hold spaces, so cut after ") ".
    now="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f20)"
    if [ -n "$now" ] && [ "$now" = "$started" ]; then
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    fi
done < "$file"
rm -f "$file"
