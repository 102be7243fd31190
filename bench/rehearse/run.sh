#!/bin/bash
# The seed scenario end to end with `xdsemu rehearse` (world set-up and tear-down included), once
# at the rehearsal step (50 ms), once at `xdsemu up`'s 1 s step, and 20 times in a row in one
# run: wall seconds, and CPU seconds (user + system of xdsemu and every child it waited for:
# kubectl, the istioctl shims, the shell). Usage: bench/rehearse/run.sh [XDSEMU]
set -euo pipefail
cd "$(dirname "$0")/../.."
xdsemu=${1:-.build/release/xdsemu}
seed=scenarios/01-seed-canary-upgrade.yaml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# One measured run: wall and CPU from bash's `times`-style accounting of the finished child.
measure() {
    local label=$1; shift
    local start end
    start=$(date +%s.%N)
    local before after
    before=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
    "$@" > "$out/log" 2>&1 || { cat "$out/log"; echo "bench: $label failed"; exit 1; }
    end=$(date +%s.%N)
    after=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
    local ticks; ticks=$(getconf CLK_TCK)
    printf '| %s | %.1f | %.1f |\n' "$label" "$(echo "$end - $start" | bc)" "$(echo "($after - $before) / $ticks" | bc -l)"
}

echo "xdsemu: $xdsemu ($(nproc) cores; $(uptime | sed 's/.*load average/load average/'))"
echo "| run | wall s | CPU s |"
echo "|---|---|---|"
measure "seed, once, --step-ms 50" "$xdsemu" rehearse "$seed" --step-ms 50
measure "seed, once, --step-ms 1000" "$xdsemu" rehearse "$seed" --step-ms 1000
seeds=()
for _ in $(seq 20); do seeds+=("$seed"); done
measure "seed, 20 in a row, --step-ms 50" "$xdsemu" rehearse "${seeds[@]}" --step-ms 50
grep -c '^✔ Canary' "$out/log" | sed 's/^/scenarios passed in the last run: /'
