#!/usr/bin/env bash
# The lab-loopback terminal's power relay: `posrig sim terminal` on the bench's PTY is the terminal, and switching its
# power is starting and killing that process (rigs/lab-loopback.yaml, power.kind command).
#   terminal.sh on      power up: starts the terminal process in the background (it boots: info, state idle, 0800
#                       sign-on, stored reversals from its non-volatile store); exit 0 once it has opened its port
#   terminal.sh off     power cut: SIGKILL, nothing saved but the non-volatile store (--state-dir); exit 0 once gone
#   terminal.sh status  exit 0 when the terminal process runs, 1 when not
# On and off do nothing when the power already is so. The TID is POSRIG_TERMINAL (posrig sets it), else bench.env's.
# Needs the bench: bench.sh start.
set -u
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PIDFILE="$LAB_DIR/terminal.pid"
LOG="$LAB_DIR/terminal.log"
STATE_DIR="$LAB_DIR/terminal-state"

power_on() {
  alive "$PIDFILE" && return 0
  if [[ ! -e $TERMINAL_TTY ]]; then
    echo "terminal.sh on: no PTY at $TERMINAL_TTY: start the bench first (rigs/lab-loopback/bench.sh start)" >&2
    return 1
  fi
  mkdir -p "$STATE_DIR"
  [[ -f $LOG ]] && mv -f "$LOG" "$LOG.previous"
  # Its own session (setsid): the terminal is a separate piece of equipment, never hit by the signals of the shell
  # that switched it on. Output to the log only, so the relay command ends at once.
  setsid "${POSRIG[@]}" sim terminal --port "$TERMINAL_TTY" \
    --host "$PRIMARY_HOST" --backup-host "$BACKUP_HOST" --state-dir "$STATE_DIR" \
    --tid "${POSRIG_TERMINAL:-$TID}" --mid "$MID" --merchant-name "$MERCHANT_NAME" --currency "$CURRENCY" \
    --language "$LANGUAGE" --response-timeout-ms "$RESPONSE_TIMEOUT_MS" --packaging "${PACKAGING:-ascii}" \
    </dev/null >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  wait_for "$LOG" "posrig sim terminal: listening" "$PIDFILE" "the terminal process ($LOG)"
}

case "${1:-}" in
  on) power_on ;;
  off) end_process "$PIDFILE" KILL ;;
  status) alive "$PIDFILE" ;;
  *)
    echo "usage: terminal.sh on|off|status" >&2
    exit 2
    ;;
esac
