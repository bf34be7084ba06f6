#!/usr/bin/env bash
# The real-hardware path as CI runs it (`npm run hil:lab`): the bench up, `posrig doctor` all ✔, the link conformance
# kit, the whole feature set (power included) on rigs/lab-loopback.yaml, and the bench down whatever happened.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bench=rigs/lab-loopback/bench.sh
trap '"$bench" stop' EXIT
"$bench" start
node bin/posrig.js doctor --rig rigs/lab-loopback.yaml
node bin/posrig.js conformance --rig rigs/lab-loopback.yaml
node bin/posrig.js run --rig rigs/lab-loopback.yaml --reports reports/lab-loopback
