#!/usr/bin/env bash
# The end-to-end demo on simulated events. It grows with each stage of the pipeline; until the
# reconstruction exists, a submission made from the truth with deliberate mistakes stands in for it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${DEMO_DIR:-runs/demo}
cli="node apps/hypertrack/dist/main.cjs"
rm -rf "$out"
$cli simulate --events "${DEMO_EVENTS:-5}" --pileup "${DEMO_PILEUP:-200}" --seed 1 --out "$out/csv"
$cli convert --in "$out/csv" --out "$out/arrow"
$cli inspect "$out/arrow"
$cli submission --truth "$out/arrow" --out "$out/submission.csv.gz" --merge 0.05 --split 0.05 --noise-into-tracks 0.1 --seed 1
$cli score --truth "$out/arrow" --submission "$out/submission.csv.gz" --logdir "$out/run"
$cli report "$out/run"
$cli export-phoenix --in "$out/arrow" --submission "$out/submission.csv.gz" --out "$out/run/phoenix-event0.json"
echo "demo: open $out/run/report.html in a browser; load $out/run/phoenix-event0.json in Phoenix"
