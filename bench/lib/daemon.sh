# Sourced by the bench scripts: starts `xdsemu up` ($xdsemu, step $step_ms) on a fresh state
# directory under a temporary $work, stops it and removes $work on exit, waits (bounded) until it
# listens, and exports KUBECONFIG and HOME for kubectl. Sets $daemon (its PID) and $state.
work=$(mktemp -d /tmp/xdsemu-bench-XXXXXX)
state=$work/state
"$xdsemu" up --state-dir "$state" --step-ms "$step_ms" >"$work/up.log" 2>&1 &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null; wait $daemon 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 300); do
  grep -q 'export KUBECONFIG=' "$work/up.log" 2>/dev/null && break
  kill -0 $daemon 2>/dev/null || { cat "$work/up.log"; exit 1; }
  sleep 0.1
done
export KUBECONFIG=$state/kubeconfig HOME=$work
