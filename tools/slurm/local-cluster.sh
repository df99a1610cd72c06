#!/usr/bin/env bash
# A single-host Slurm cluster on this machine, for the tests of `hypertrack slurm` (and for trying
# it): munge, slurmctld and slurmd from Debian's slurmctld, slurmd, slurm-client and munge
# packages, without systemd or cgroups (proctrack/linuxproc, task/none, select/cons_tres,
# accounting none). Needs root (the daemons). State and logs live in $HYPERTRACK_SLURM_DIR
# (default /tmp/hypertrack-slurm); clients find the cluster through SLURM_CONF, which `env` prints.
#
#   tools/slurm/local-cluster.sh start    # starts munged, slurmctld, slurmd; waits until the node is idle
#   tools/slurm/local-cluster.sh env      # prints export SLURM_CONF=...
#   tools/slurm/local-cluster.sh stop
set -euo pipefail
dir="${HYPERTRACK_SLURM_DIR:-/tmp/hypertrack-slurm}"
conf="$dir/slurm.conf"
host="$(hostname -s)"

start() {
  for tool in munged slurmctld slurmd sbatch; do
    command -v "$tool" >/dev/null || { echo "local-cluster: $tool is missing: apt-get install --no-install-recommends slurmctld slurmd slurm-client munge" >&2; exit 1; }
  done
  [ "$(id -u)" = 0 ] || { echo "local-cluster: the Slurm daemons need root" >&2; exit 1; }
  stop >/dev/null 2>&1 || true
  if pgrep -x slurmctld >/dev/null; then echo "local-cluster: a slurmctld is already running (pid $(pgrep -x slurmctld | head -1)); stop it first" >&2; exit 1; fi
  mkdir -p "$dir/ctld" "$dir/d" "$dir/log"
  # munged refuses to run as root (its log folder's ownership): it runs as the munge user.
  if ! pgrep -x munged >/dev/null; then
    [ -s /etc/munge/munge.key ] || { dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
    mkdir -p /run/munge && chown munge:munge /run/munge
    runuser -u munge -- /usr/sbin/munged
  fi
  local cpus mem
  cpus="$(nproc)"
  mem="$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)"
  cat >"$conf" <<CONF
ClusterName=hypertrack-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MailProg=/bin/true
ReturnToService=2
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/d
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SchedulerParameters=sched_interval=1
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$conf"
  slurmctld -f "$conf"
  slurmd -f "$conf"
  for _ in $(seq 1 100); do
    if sinfo -h -o %T 2>/dev/null | grep -qx idle; then echo "local-cluster: up ($host, $cpus CPUs, ${mem} MB); export SLURM_CONF=$conf"; return 0; fi
    sleep 0.2
  done
  echo "local-cluster: the node did not come up; see $dir/log" >&2
  exit 1
}

stop() {
  for pid in "$dir/slurmd.pid" "$dir/slurmctld.pid"; do
    [ -s "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true
  done
  sleep 0.5
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "export SLURM_CONF=$conf" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
