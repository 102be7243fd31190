#!/usr/bin/env bash
# A write during a large scale-up: `xdsemu up` on loopback, `kubectl scale` of details-v1 from
# FROM to TO replicas, then one `kubectl create configmap` right away and one every second until
# every pod is ready; prints each create's latency and how many pods were ready when it returned,
# so a write stuck behind the scale-up's backlog shows as a latency near the whole scale-up's.
#
#   bench/scaleup/scaleup.sh [FROM] [TO]        (default 500 → 1000)
#
# Environment: XDSEMU (default .build/debug/xdsemu; use a release build for figures), STEP_MS
# (default 100). Bounded: every kubectl call has a timeout; the run ends after 600 creates.
set -euo pipefail
cd "$(dirname "$0")/../.."
from=${1:-500}
to=${2:-1000}
xdsemu=${XDSEMU:-.build/debug/xdsemu}
step_ms=${STEP_MS:-100}
. bench/lib/daemon.sh
k() { timeout 300 kubectl --request-timeout=280s "$@"; }
ready() { k get deployment details-v1 -o jsonpath='{.status.readyReplicas}'; }

k scale deployment details-v1 --replicas="$from" >/dev/null
k rollout status deployment details-v1 --timeout=280s >/dev/null
echo "scaled to $from; now $from -> $to"
k scale deployment details-v1 --replicas="$to" >/dev/null
echo "create seconds ready_after"
for n in $(seq 600); do
  start=$(date +%s.%N)
  k create configmap "during-$n" >/dev/null
  end=$(date +%s.%N)
  r=$(ready)
  awk -v n="$n" -v a="$start" -v b="$end" -v r="${r:-0}" 'BEGIN { printf "%d %.3f %s\n", n, b - a, r }'
  [ "${r:-0}" = "$to" ] && break
  sleep 1
done
