#!/usr/bin/env bash
# Voxel-Dynamics over ncell and node2node, measured at mu = 200 and at mu = 20 (rfactor 0.1) with the
# same models: the table of docs/voxdyn.md. Uses the built CLI end to end.
# Knobs: VD_DIR (work folder), VD_TRAIN (training events), VD_TEST (held-out events), VD_NCELL, VD_MODES,
# VD_REUSE_MODELS=1 (keep models already in VD_DIR/models: re-measure the graphs only).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${VD_DIR:-runs/voxdyn-table}
train=${VD_TRAIN:-20}
test=${VD_TEST:-5}
ncells=${VD_NCELL:-"16384 65536 262144"}
modes=${VD_MODES:-"hyper eom cricket"}
cli="node apps/hypertrack/dist/main.cjs"
mkdir -p "$dir"
last=$((train + test - 1))
[ -d "$dir/arrow" ] || $cli simulate --events $((train + test)) --pileup 200 --seed 11 --format arrow --out "$dir/arrow" --no-progress
for mode in $modes; do
  if [ "${VD_REUSE_MODELS:-0}" != 1 ]; then
    # shellcheck disable=SC2086
    $cli pretrain-voxdyn --in "$dir/arrow" --events "0-$((train - 1))" --node2node "$mode" --ncell $ncells --out "$dir/models" --no-progress --no-plots
  fi
  for ncell in $ncells; do
    model="$dir/models/voxdyn_node2node_${mode}_ncell_${ncell}.vdm"
    for mu in 200 20; do
      run="$dir/runs/$mode-$ncell-mu$mu"
      reduce=()
      [ "$mu" = 20 ] && reduce=(--rfactor 0.1 --noise-ratio 0.05)
      # A model too coarse for the pile-up exceeds the edge budget: record that instead of stopping.
      if ! $cli infer --pre-only --model "$model" --in "$dir/arrow" --events "$train-$last" "${reduce[@]}" --logdir "$run" --no-progress > /dev/null 2> "$dir/error.txt"; then
        mkdir -p "$run" && cp "$dir/error.txt" "$run/failed.txt"
      fi
    done
  done
done
node -e '
const fs = require("fs"); const path = require("path");
const [dir, train, ...rest] = process.argv.slice(1);
const runs = path.join(dir, "runs");
const rows = fs.readdirSync(runs).sort((a, b) => { const [ma, na, ua] = a.split("-"); const [mb, nb, ub] = b.split("-"); return ma.localeCompare(mb) || Number(na) - Number(nb) || ub.localeCompare(ua); });
const mean = (v) => v.reduce((s, x) => s + x, 0) / v.length;
const sd = (v) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
console.log(`| node2node | ncell | mu | TPR | FPR | purity | edges per hit | time per event (ms) |`);
console.log(`|---|---|---|---|---|---|---|---|`);
for (const r of rows) {
  const [mode, ncell, mu] = r.split("-");
  if (fs.existsSync(path.join(runs, r, "failed.txt"))) {
    const why = fs.readFileSync(path.join(runs, r, "failed.txt"), "utf8").match(/would have (\d+) edges/);
    console.log(`| ${mode} | ${ncell} | ${mu.replace("mu", "")} | over the edge budget${why ? ` (${(Number(why[1]) / 1e6).toFixed(0)}M edges)` : ""} | | | | |`);
    continue;
  }
  const ev = fs.readFileSync(path.join(runs, r, "vd", "events.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const f = (k, d) => `${mean(ev.map((e) => e[k])).toFixed(d)} ± ${sd(ev.map((e) => e[k])).toFixed(d)}`;
  console.log(`| ${mode} | ${ncell} | ${mu.replace("mu", "")} | ${f("tpr", 4)} | ${mean(ev.map((e) => e.fpr)).toExponential(2)} | ${f("purity", 4)} | ${f("edgesPerHit", 1)} | ${mean(ev.map((e) => e.assignMs + e.edgesMs)).toFixed(0)} |`);
}
' "$dir" "$train"
