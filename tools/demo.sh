#!/usr/bin/env bash
# The end-to-end demo on simulated events (grows with each stage of the pipeline).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${DEMO_DIR:-runs/demo}
cli="node apps/hypertrack/dist/main.cjs"
rm -rf "$out"
$cli simulate --events "${DEMO_EVENTS:-5}" --pileup "${DEMO_PILEUP:-200}" --seed 1 --out "$out/csv"
$cli convert --in "$out/csv" --out "$out/arrow"
$cli inspect "$out/arrow"
