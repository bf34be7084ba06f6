#!/usr/bin/env bash
# The lab-loopback bench: posrig's simulators as foreign equipment, for rigs/lab-loopback.yaml.
#   bench.sh start   the "serial cable" (a socat PTY pair), the acquirer (`posrig sim host`, ledger file seeded from
#                    the cards fixture) and the terminal, switched on (terminal.sh on); exit 0 once all are ready
#   bench.sh stop    everything it started, gone; logs stay in the bench folder
#   bench.sh status  one line per part; exit 0 when the cable and the acquirer run
# Settings: bench.env. Files: .posrig/lab-loopback/ (PTY links, pid files, *.log, bank.sqlite, terminal-state/).
#   rigs/lab-loopback/bench.sh start && npx posrig run --rig rigs/lab-loopback.yaml; rigs/lab-loopback/bench.sh stop
set -u
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TERMINAL_SH="$REPO/rigs/lab-loopback/terminal.sh"

start() {
  stop_all # what a killed run left behind
  mkdir -p "$LAB_DIR"
  command -v socat >/dev/null || {
    echo "bench.sh: socat is not installed (apt-get install socat)" >&2
    return 1
  }
  # The cable. socat 1.7.4 keeps both PTY slaves open itself, so a terminal killed and restarted on its end (and a
  # harness that closes and reopens its end) never leaves a master without a slave: no EIO, socat stays. The holder
  # keeps them open too, so that this holds for any socat (a PTY master reads EIO once the last slave holder closes,
  # and socat exits on it).
  socat -d -d "pty,raw,echo=0,link=$HARNESS_TTY" "pty,raw,echo=0,link=$TERMINAL_TTY" \
    </dev/null >/dev/null 2>"$LAB_DIR/socat.log" &
  echo $! >"$LAB_DIR/socat.pid"
  wait_for "$LAB_DIR/socat.log" "starting data transfer" "$LAB_DIR/socat.pid" "socat (the PTY pair)" || return 1
  (exec 3<>"$HARNESS_TTY" 4<>"$TERMINAL_TTY" && exec sleep infinity) </dev/null >/dev/null 2>&1 &
  echo $! >"$LAB_DIR/holder.pid"

  # The acquirer, on a fresh ledger seeded from the cards fixture.
  rm -f "$LEDGER" "$LEDGER-wal" "$LEDGER-shm"
  setsid "${POSRIG[@]}" sim host --listen "$HOST_LISTEN" --ledger "$LEDGER" --cards "$CARDS" \
    --mid "$MID" --merchant-name "$MERCHANT_NAME" --currency "$CURRENCY" --packaging "${PACKAGING:-ascii}" \
    </dev/null >"$LAB_DIR/host.log" 2>&1 &
  echo $! >"$LAB_DIR/host.pid"
  wait_for "$LAB_DIR/host.log" "posrig sim host: listening on" "$LAB_DIR/host.pid" "the acquirer ($LAB_DIR/host.log)" ||
    return 1

  # A fresh terminal (empty non-volatile store), powered on as a bench terminal is when a run begins.
  rm -rf "$LAB_DIR/terminal-state"
  "$TERMINAL_SH" on || return 1
  echo "bench.sh: started: terminal on $HARNESS_TTY, acquirer on $HOST_LISTEN, ledger $LEDGER"
}

stop_all() {
  "$TERMINAL_SH" off
  end_process "$LAB_DIR/host.pid" TERM
  end_process "$LAB_DIR/holder.pid" TERM
  end_process "$LAB_DIR/socat.pid" TERM
}

status() {
  local part pidfile ok=0
  for part in socat:socat.pid holder:holder.pid acquirer:host.pid terminal:terminal.pid; do
    pidfile="$LAB_DIR/${part#*:}"
    if alive "$pidfile"; then
      echo "${part%%:*}: runs (pid $(<"$pidfile"))"
    else
      echo "${part%%:*}: not running"
      [[ ${part%%:*} == socat || ${part%%:*} == acquirer ]] && ok=1
    fi
  done
  return $ok
}

case "${1:-}" in
  start)
    start || {
      stop_all
      exit 1
    }
    ;;
  stop) stop_all ;;
  status) status ;;
  *)
    echo "usage: bench.sh start|stop|status" >&2
    exit 2
    ;;
esac
