#!/usr/bin/env bash
# The long soak: `xdsemu up` on loopback, then CYCLES rounds of `kubectl rollout restart
# deployment` of bookinfo, each waited out with `kubectl rollout status` and until no pod is
# terminating. Prints every cycle's time, and at the checkpoints the daemon's RSS, open files and
# threads (from /proc), the object counts and the database size, so a leak shows as a trend.
#
#   bench/soak/soak.sh [CYCLES]          (default 300; checkpoints at 1, 10, 100, 200, 300 and the last)
#
# Environment: XDSEMU (default .build/debug/xdsemu; use a release build for figures),
# STEP_MS (a new world's pod step, default 100), CHECKPOINTS (space-separated cycle numbers).
# Bounded: each kubectl call has a timeout and a stuck cycle ends the run with an error.
set -euo pipefail
cd "$(dirname "$0")/../.."
cycles=${1:-300}
xdsemu=${XDSEMU:-.build/debug/xdsemu}
step_ms=${STEP_MS:-100}
checkpoints=" ${CHECKPOINTS:-1 10 100 200 300} "
. bench/lib/daemon.sh
k() { timeout 300 kubectl --request-timeout=120s "$@"; }
k rollout status deployment -n default --timeout=120s >/dev/null

status() { awk -v f="$1:" '$1 == f { print $2 }' /proc/$daemon/status; }
count() { k get "$@" -A --no-headers 2>/dev/null | wc -l; }
echo "cycle seconds"
for n in $(seq "$cycles"); do
  start=$(date +%s.%N)
  k rollout restart deployment -n default >/dev/null
  k rollout status deployment -n default --timeout=120s >/dev/null
  settled=0
  for _ in $(seq 600); do
    if ! k get pods -n default --no-headers | grep -q Terminating; then settled=1; break; fi
    sleep 0.1
  done
  [ $settled = 1 ] || { echo "cycle $n: pods still terminating after 60 s" >&2; exit 1; }
  awk -v n="$n" -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%d %.2f\n", n, b - a }'
  if [[ $checkpoints == *" $n "* ]] || [ "$n" = "$cycles" ]; then
    printf 'checkpoint cycle=%d rss_kB=%s fds=%d threads=%s replicasets=%d pods=%d events=%d db_bytes=%d\n' \
      "$n" "$(status VmRSS)" "$(ls /proc/$daemon/fd | wc -l)" "$(status Threads)" \
      "$(count replicasets)" "$(count pods)" "$(count events)" "$(stat -c %s "$state/world.sqlite")"
  fi
done
