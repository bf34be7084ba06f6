#!/usr/bin/env bash
# The whole feature set over a real Mosquitto with a password file and an ACL (`npm run hil:mosquitto`): uses the
# broker .ci/run started (POSRIG_MOSQUITTO_PID set), or starts one for this run and stops it after.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [[ -z "${POSRIG_MOSQUITTO_PID:-}" ]]; then
  # shellcheck source=start.sh
  source rigs/mosquitto/start.sh
  trap 'kill "$POSRIG_MOSQUITTO_PID" 2>/dev/null || true' EXIT
fi
node bin/posrig.js doctor --rig rigs/mosquitto.yaml
node bin/posrig.js run --rig rigs/mosquitto.yaml --reports reports/mosquitto
