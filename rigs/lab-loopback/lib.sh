# Shared by bench.sh and terminal.sh: the bench's settings, and processes kept by pid file.
# shellcheck shell=bash

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# POSRIG_LAB_ENV: another settings file (a test's bench, apart from the one rigs/lab-loopback.yaml uses).
# shellcheck source=bench.env
. "${POSRIG_LAB_ENV:-$REPO/rigs/lab-loopback/bench.env}"
POSRIG=(node "$REPO/bin/posrig.js")

# Exit 0 when the process named in pid file $1 runs (a zombie, killed and not yet reaped, does not).
alive() {
  local pid
  [[ -s $1 ]] || return 1
  pid=$(<"$1")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  if [[ -r /proc/$pid/stat ]]; then
    [[ $(cut -d' ' -f3 <"/proc/$pid/stat" 2>/dev/null) != Z ]] || return 1
    return 0
  fi
  kill -0 "$pid" 2>/dev/null
}

# Waits until log file $1 holds text $2, while the process of pid file $3 runs; on failure says why ($4 names the
# part) with the log's last lines, and returns 1.
wait_for() {
  local log=$1 text=$2 pidfile=$3 what=$4 i
  for ((i = 0; i < READY_TENTHS; i++)); do
    grep -qF -- "$text" "$log" 2>/dev/null && return 0
    if ! alive "$pidfile"; then
      echo "$what exited before it was ready; last lines of $log:" >&2
      tail -n 5 "$log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "$what did not say \"$text\" within $((READY_TENTHS / 10)) s; last lines of $log:" >&2
  tail -n 5 "$log" >&2
  return 1
}

# Ends the process of pid file $1 with signal $2 (TERM by default, KILL after 5 s) and waits until it is gone.
end_process() {
  local pidfile=$1 signal=${2:-TERM} i
  if alive "$pidfile"; then
    kill "-$signal" "$(<"$pidfile")" 2>/dev/null
    for ((i = 0; i < 50; i++)); do
      alive "$pidfile" || break
      sleep 0.1
    done
    if alive "$pidfile"; then
      kill -KILL "$(<"$pidfile")" 2>/dev/null
      for ((i = 0; i < 50; i++)); do
        alive "$pidfile" || break
        sleep 0.1
      done
    fi
  fi
  rm -f "$pidfile"
}
