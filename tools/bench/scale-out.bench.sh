#!/usr/bin/env bash
# Scale-out on this machine's single-host Slurm cluster (issue 19): inference throughput with 1, 2
# and 4 array tasks at mu = 20 (events per hour, submission to merged results), one shard alone, and
# the merge's own cost; and
# Voxel-Dynamics pretraining over 100 mu = 200 events (the C-matrix over the cells of a k-means model), one process against 4 shards plus merge
# Needs root and Slurm (tools/slurm/local-cluster.sh), a build
# (npm run build), the events of data/v2-ev200 (hypertrack simulate --events 120 --pileup 200
# --seed 2026 --format arrow --out data/v2-ev200), the models of data/v2-vd20 and data/v2-vd100-65k
# (pretrain-voxdyn, docs/voxdyn.md).
#   bash tools/bench/scale-out.bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${DATA:-data/v2-ev200}"
vd="${VD:-data/v2-vd20/voxdyn_node2node_hyper_ncell_16384.vdm}"
vd65k="${VD65K:-data/v2-vd100-65k/voxdyn_node2node_hyper_ncell_65536.vdm}"
ht() { node apps/hypertrack/bin/hypertrack.cjs "$@"; }
now() { date +%s.%N; }
bash tools/slurm/local-cluster.sh start
eval "$(bash tools/slurm/local-cluster.sh env)"
out="$(mktemp -d)"
trap 'bash tools/slurm/local-cluster.sh stop; rm -rf "$out"' EXIT
events=100-119
infer=(--vd-model "$vd65k" --gnn models/gnn-tune6-mu20 --in "$data" --events "$events" --rfactor 0.1 --edge-threshold 0.8 --no-progress)
echo "inference: events $events of $data at rfactor 0.1 (mu = 20), $vd65k, models/gnn-tune6-mu20, cut at 0.8"
t0=$(now)
ht infer "${infer[@]}" --logdir "$out/infer-one-process" >/dev/null
awk -v a="$t0" -v b="$(now)" 'BEGIN { s = b - a; printf "| one process, no Slurm | %.1f s | %.0f events/hour |\n", s, 20 * 3600 / s }'
t0=$(now)
ht infer "${infer[@]}" --logdir "$out/infer-shard" --shard 0/4 >/dev/null
awk -v a="$t0" -v b="$(now)" 'BEGIN { s = b - a; printf "| shard 0/4 alone (5 events), no Slurm | %.1f s | %.0f events/hour |\n", s, 5 * 3600 / s }'
for tasks in 1 2 4; do
  t0=$(now)
  ht slurm infer "${infer[@]}" --logdir "$out/infer-$tasks" --array "$tasks" --cpus-per-task 1 --wait >"$out/infer-$tasks.log"
  awk -v a="$t0" -v b="$(now)" -v n="$tasks" 'BEGIN { s = b - a; printf "| %d array task(s) + merge | %.1f s | %.0f events/hour |\n", n, s, 20 * 3600 / s }'
done
t0=$(now)
ht merge "$out/infer-4" --out "$out/merge-again" >/dev/null
awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "merge of the 4 inference shards alone: %.2f s\n", b - a }'

echo "Voxel-Dynamics: C-matrix over events 0-99, k-means cells of $vd"
t0=$(now)
ht pretrain-voxdyn --in "$data" --events 0-99 --centroids "$vd" --out "$out/vd-single" --no-progress --no-plots >/dev/null
awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "one process: %.1f s\n", b - a }'
t0=$(now)
ht pretrain-voxdyn --in "$data" --events 0-99 --centroids "$vd" --out "$out/vd-shard" --no-progress --no-plots --shard 0/4 >/dev/null
awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "shard 0/4 alone (25 events): %.1f s\n", b - a }'
t0=$(now)
ht slurm pretrain-voxdyn --in "$data" --events 0-99 --centroids "$vd" --out "$out/vd-array" --no-progress --no-plots --array 4 --cpus-per-task 1 --wait >/dev/null
awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "4 array tasks + merge: %.1f s\n", b - a }'
t0=$(now)
ht merge "$out/vd-array" --out "$out/vd-merge-again" --no-plots >/dev/null
awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "the merge alone: %.1f s\n", b - a }'
name="$(basename "$vd")"
cmp "$out/vd-single/$name" "$out/vd-array/$name" && echo "the merged model file equals the single-process one byte for byte"
