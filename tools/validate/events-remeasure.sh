#!/usr/bin/env bash
# What a version of the simulated events does to today's figures: the same commands on events of
# one simulator version. The events are simulated by SIM_CLI (default: this checkout's CLI; point it
# at another checkout's apps/hypertrack/dist/main.cjs to measure that version's events); everything
# downstream runs with this checkout's CLI, so only the events differ.
#   1. the demo's events: 20 mu = 200 events (seed 2026, events 0-19) for the Voxel-Dynamics models
#      and 5 test events (110-114);
#   2. VD models of 16,384 and 262,144 cells (hyper, 20 iterations, seed 7) on events 0-19;
#   3. VD TPR, FPR, edges per hit on the test events at mu = 2 (rfactor 0.01) and mu = 20 (rfactor 0.1),
#      both with --noise-ratio 0.05 (reference 1.4);
#   4. the two-angle baseline AUC at mu = 2 (16,384 cells) and mu = 20 (262,144 cells);
#   5. the shipped GNNs: models/gnn-tune5-mu2 at mu = 2 (the demo's results row) and
#      models/gnn-tune5-mu20 at mu = 20.
# Usage: tools/validate/events-remeasure.sh OUT_DIR   (SIM_CLI=... to simulate with another version)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: events-remeasure.sh OUT_DIR}
cli="node apps/hypertrack/dist/main.cjs"
sim=${SIM_CLI:-apps/hypertrack/dist/main.cjs}
mkdir -p "$out"
[ -d "$out/vd-events" ] || node "$sim" simulate --events 20 --pileup 200 --seed 2026 --format arrow --out "$out/vd-events" --no-progress
[ -d "$out/test-events" ] || node "$sim" simulate --events 5 --event-start 110 --pileup 200 --seed 2026 --format arrow --out "$out/test-events" --no-progress
$cli inspect "$out/vd-events" --events 0 --no-progress > "$out/inspect-event0.txt"
[ -f "$out/vd/voxdyn_node2node_hyper_ncell_262144.vdm" ] ||
  $cli pretrain-voxdyn --in "$out/vd-events" --events 0-19 --ncell 16384 262144 --niter 20 --seed 7 --out "$out/vd" --no-plots --no-progress > "$out/pretrain.txt"
for ncell in 16384 262144; do
  for mu in 2 20; do
    rfactor=$([ "$mu" = 2 ] && echo 0.01 || echo 0.1)
    $cli infer --pre-only --model "$out/vd/voxdyn_node2node_hyper_ncell_${ncell}.vdm" --in "$out/test-events" \
      --rfactor "$rfactor" --noise-ratio 0.05 --logdir "$out/pre-$ncell-mu$mu" --no-progress > "$out/pre-$ncell-mu$mu.txt"
  done
done
node tools/validate/angle-baseline.mjs --vd-model "$out/vd/voxdyn_node2node_hyper_ncell_16384.vdm" --in "$out/test-events" --rfactor 0.01 > "$out/baseline-mu2.txt"
node tools/validate/angle-baseline.mjs --vd-model "$out/vd/voxdyn_node2node_hyper_ncell_262144.vdm" --in "$out/test-events" --rfactor 0.1 > "$out/baseline-mu20.txt"
$cli infer --vd-model "$out/vd/voxdyn_node2node_hyper_ncell_16384.vdm" --gnn models/gnn-tune5-mu2 --in "$out/test-events" \
  --rfactor 0.01 --noise-ratio 0.05 --cluster cut --edge-threshold 0.55 --logdir "$out/gnn-mu2" --no-progress > "$out/gnn-mu2.txt"
$cli infer --vd-model "$out/vd/voxdyn_node2node_hyper_ncell_262144.vdm" --gnn models/gnn-tune5-mu20 --in "$out/test-events" \
  --rfactor 0.1 --noise-ratio 0.05 --cluster cut --edge-threshold 0.55 --logdir "$out/gnn-mu20" --no-progress > "$out/gnn-mu20.txt"

echo "| ncell | mu | VD TPR | VD FPR | edges per hit |"
echo "|---|---|---|---|---|"
for ncell in 16384 262144; do
  for mu in 2 20; do
    node -e '
      const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
      const mean = (k) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
      console.log(`| ${process.argv[2]} | ${process.argv[3]} | ${mean("tpr").toFixed(3)} | ${mean("fpr").toExponential(2)} | ${mean("edgesPerHit").toFixed(1)} |`);
    ' "$out/pre-$ncell-mu$mu/vd/events.jsonl" "$ncell" "$mu"
  done
done
echo
tail -n 1 "$out/baseline-mu2.txt" | sed 's/^/mu = 2, 16,384 cells: /'
tail -n 1 "$out/baseline-mu20.txt" | sed 's/^/mu = 20, 262,144 cells: /'
echo
echo "gnn-tune5-mu2 at mu = 2:"; grep -A2 "^results" "$out/gnn-mu2.txt"
echo "gnn-tune5-mu20 at mu = 20:"; grep -A2 "^results" "$out/gnn-mu20.txt"
