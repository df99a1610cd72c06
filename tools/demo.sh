#!/usr/bin/env bash
# The end-to-end demo on simulated events, with the GNN shipped in models/gnn-tune6-mu2:
#   1. simulate the 20 mu = 200 events the shipped model's Voxel-Dynamics graph was trained on
#      (seed 2026, events 0-19) and 5 unseen test events (110-114);
#   2. retrain that Voxel-Dynamics model (16,384 cells, hyper; deterministic, so it is the one the
#      GNN was trained with) - it is 60 MB, too big to ship;
#   3. reconstruct the test events at mu = 2 (rfactor 0.01): graph, GNN, cut clustering, and print
#      the results row; then write the HTML report.
# With DEMO_MU20=1 it then does the same at mu = 20 (rfactor 0.1) with models/gnn-tune6-mu20 and
# its tune (edge cut 0.8), on a 65,536-cell graph trained on 100 other events (200-299): about
# two minutes more, so it is not on by default.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${DEMO_DIR:-runs/demo}
model=${DEMO_GNN:-models/gnn-tune6-mu2}
cli="node apps/hypertrack/dist/main.cjs"
rm -rf "$out"
start=$(date +%s)
$cli simulate --events 20 --pileup 200 --seed 2026 --format arrow --out "$out/vd-events" --no-progress
$cli simulate --events 5 --event-start 110 --pileup 200 --seed 2026 --format arrow --out "$out/test-events" --no-progress
$cli pretrain-voxdyn --in "$out/vd-events" --events 0-19 --ncell 16384 --niter 20 --seed 7 --out "$out/vd" --no-plots --no-progress
$cli infer --vd-model "$out/vd/voxdyn_node2node_hyper_ncell_16384.vdm" --gnn "$model" --in "$out/test-events" \
  --rfactor 0.01 --noise-ratio 0.05 --cluster cut --edge-threshold 0.55 --logdir "$out/run" --no-progress
$cli report "$out/run"
if [ "${DEMO_MU20:-0}" = 1 ]; then
  $cli simulate --events 100 --event-start 200 --pileup 200 --seed 2026 --format arrow --out "$out/vd-events-mu20" --no-progress
  $cli pretrain-voxdyn --in "$out/vd-events-mu20" --events 200-299 --ncell 65536 --niter 20 --seed 7 --out "$out/vd-mu20" --no-plots --no-progress
  $cli infer --vd-model "$out/vd-mu20/voxdyn_node2node_hyper_ncell_65536.vdm" --gnn models/gnn-tune6-mu20 --config configs/tune-6-mu20.json \
    --in "$out/test-events" --rfactor 0.1 --noise-ratio 0.05 --cluster cut --logdir "$out/run-mu20" --no-progress
  $cli report "$out/run-mu20"
fi
echo "demo: $(( $(date +%s) - start )) s; open $out/run/report.html in a browser"
