#!/usr/bin/env bash
# Starts a Mosquitto on loopback with a password file and the ACL of this folder, for rigs/mosquitto.yaml, and
# exports the passwords the rig and its agent log in with (made anew for each start, never committed).
#   source rigs/mosquitto/start.sh     # POSRIG_MOSQUITTO_PID, POSRIG_MQTT_PASSWORD, POSRIG_MQTT_AGENT_PASSWORD
#   … ; kill "$POSRIG_MOSQUITTO_PID"
# Needs mosquitto (apt-get install mosquitto). Mosquitto started as root drops to the user "mosquitto": its files
# live in a folder that user can read, and it writes no pid file.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${POSRIG_MOSQUITTO_PORT:-18830}"
folder="$(mktemp -d /tmp/posrig-mosquitto.XXXXXX)"
chmod 755 "$folder"
POSRIG_MQTT_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
POSRIG_MQTT_AGENT_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
touch "$folder/passwd"
mosquitto_passwd -b "$folder/passwd" controller "$POSRIG_MQTT_PASSWORD"
mosquitto_passwd -b "$folder/passwd" terminal-T0000005 "$POSRIG_MQTT_AGENT_PASSWORD"
cp "$here/acl" "$folder/acl"
cat >"$folder/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous false
password_file $folder/passwd
acl_file $folder/acl
persistence false
set_tcp_nodelay true
log_dest stderr
CONF
chmod 644 "$folder"/*
if id mosquitto >/dev/null 2>&1; then chown -R mosquitto "$folder"; fi
mosquitto -c "$folder/mosquitto.conf" 2>"$folder/log" &
POSRIG_MOSQUITTO_PID=$!
# Ready once it says it listens on the port (no sleep: read its log as it grows).
for _ in $(seq 1 100); do
  if grep -q "Opening ipv4 listen socket on port $port" "$folder/log"; then break; fi
  if ! kill -0 "$POSRIG_MOSQUITTO_PID" 2>/dev/null; then
    echo "mosquitto did not start:" >&2
    cat "$folder/log" >&2
    exit 1
  fi
  sleep 0.1 # polling its log for the line above
done
grep -q "Opening ipv4 listen socket on port $port" "$folder/log" || { cat "$folder/log" >&2; exit 1; }
export POSRIG_MOSQUITTO_PID POSRIG_MQTT_PASSWORD POSRIG_MQTT_AGENT_PASSWORD
export POSRIG_MOSQUITTO_LOG="$folder/log"
echo "mosquitto on 127.0.0.1:$port (pid $POSRIG_MOSQUITTO_PID, log $folder/log)" >&2
