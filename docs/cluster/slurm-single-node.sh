#!/bin/bash
# Installs a single-node SLURM from Debian's packages (slurmctld, slurmd, slurm-client, munge), starts it, runs a
# sharded search through it (a job array of shards and a merge job that waits for them, submit.sh), runs the same
# search in one process, and compares the files byte for byte. Needs root (apt-get, the daemons); kept out of the
# default test run. Usage, from the repository: docs/cluster/slurm-single-node.sh [SHARDS] [WORK_FOLDER]
# The output of one run is recorded in docs/cluster.md.
set -euo pipefail
shards=${1:-4}
work=$(realpath -m "${2:-/tmp/servesim-slurm}")
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
host=$(hostname -s)

step() { printf '\n== %s\n' "$*"; }

step "packages"
if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi
dpkg-query -W -f '${Package} ${Version}\n' slurmctld slurmd slurm-client munge

step "munge"
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge && chown munge:munge /run/munge
pgrep -x munged >/dev/null || runuser -u munge -- munged
munge -n | unmunge | grep STATUS

step "slurm.conf for one node ($host, $(nproc) CPUs)"
mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
memory=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=servesim
SlurmctldHost=$host
AuthType=auth/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
started=()
if ! pgrep -x slurmctld >/dev/null; then slurmctld -i; started+=(slurmctld); fi
if ! pgrep -x slurmd >/dev/null; then slurmd; started+=(slurmd); fi
stop() {
  for daemon in "${started[@]}"; do
    if [ -f "/run/$daemon.pid" ]; then kill "$(cat "/run/$daemon.pid")" 2>/dev/null || true; fi
  done
}
trap stop EXIT
for _ in $(seq 30); do sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mixed' && break; sleep 1; done
sinfo

step "the jar (a shard needs only Java and it)"
(cd "$repo" && ./servesim --version)
rm -rf "$work" && mkdir -p "$work"
cp "$repo/experiments/target/servesim.jar" "$work/servesim.jar"
cp "$repo/docs/examples/scenario-search-llama2-7b.yaml" "$work/base.yaml"
cd "$work"
search=(search --config base.yaml --target-rps 100 --gpus A100-80GB,H100-SXM,H200 --tp 1,2 --pp 1
        --max-replicas 3 --schedulers continuous,dynamic --batch-limits 256:8192 --chunked-prefill false
        --requests 300)

step "the search as $shards shards and a merge, through SLURM"
SERVESIM_JAVA_OPTS="-Xmx1g" "$repo/docs/cluster/submit.sh" "$shards" "$work/run" "$work/servesim.jar" "${search[@]}"
begin=$(date +%s)
while squeue -h | grep -q .; do sleep 2; done
echo "all jobs left the queue after $(( $(date +%s) - begin )) s"
for log in "$work"/run/log-*.txt; do echo "-- $(basename "$log")"; cat "$log"; done

step "the same search in one process"
java -Xmx1g -Djava.awt.headless=true -jar servesim.jar "${search[@]}" --threads 2 --out "$work/single" | tail -4

step "compare (every file but the records, whose wall-clock times differ)"
status=0
while IFS= read -r file; do
  if cmp -s "$work/single/$file" "$work/run/merged/$file"; then echo "same  $file"; else echo "DIFF  $file"; status=1; fi
done < <(cd "$work/single" && find . -type f ! -path './capacity/*' | sort)
exit $status
