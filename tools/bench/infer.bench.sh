#!/usr/bin/env bash
# End-to-end inference per event with cut clustering (issue 6): the CLI's `infer` times every stage
# per event (VD graph, GNN, connected components) and reports mean(std) over the events after the
# first (warm-up). Needs a simulated store, a VD model and a GNN checkpoint:
#   INFER_EVENTS=data/ev200 INFER_VD=data/vd20/voxdyn_node2node_hyper_ncell_65536.vdm \
#   INFER_GNN=runs/mu2/checkpoints/mu2 INFER_RANGE=100-105 INFER_RFACTOR=0.1 bash tools/bench/infer.bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${INFER_EVENTS:?set INFER_EVENTS}" "${INFER_VD:?set INFER_VD}" "${INFER_GNN:-models/gnn-tune5-mu2}"
node apps/hypertrack/dist/main.cjs infer --vd-model "$INFER_VD" --gnn "${INFER_GNN:-models/gnn-tune5-mu2}" --in "$INFER_EVENTS" \
  --events "${INFER_RANGE:-100-105}" --rfactor "${INFER_RFACTOR:-0.1}" --cluster cut --no-progress
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
