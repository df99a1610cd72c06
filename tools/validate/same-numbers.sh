#!/usr/bin/env bash
# The numbers a refactor must not change, written to OUT: the demo's run folder (events 110-114 at
# mu = 2 through the shipped GNN and cut clustering) and a short training run (tune-6 from scratch,
# 6 steps with validation, 2 workers, resumed once at step 3). Compare two checkouts with
#   tools/validate/same-numbers.sh /tmp/before   # in the old checkout, built
#   tools/validate/same-numbers.sh /tmp/after    # in the new one
#   node tools/validate/same-numbers.mjs /tmp/before /tmp/after
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: same-numbers.sh OUT}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cli="node apps/hypertrack/dist/main.cjs"
DEMO_DIR="$out/demo" bash tools/demo.sh > "$out/demo.txt"
train="$cli train --config configs/tune-6.json --in $out/demo/test-events --events 110-113 --val-events 114
  --vd-model $out/demo/vd/voxdyn_node2node_hyper_ncell_16384.vdm --rfactor-start 0.01 --validate
  --workers 2 --batch-size 2 --seed 5 --logdir $out/train --save-tag t --save-period 0 --no-progress"
$train --iterations 3 > "$out/train-1.txt" 2>&1
$train --iterations 6 --epoch -1 > "$out/train-2.txt" 2>&1
echo "same-numbers: wrote $out"
