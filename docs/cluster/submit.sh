#!/bin/bash
# Submits a ServeSim run as N shards (a SLURM job array) and its merge (a job that waits for all of them):
#   docs/cluster/submit.sh N SHARED_FOLDER servesim.jar plan run my-plan.yaml
# Run it from the folder the command's relative paths (--config, plan files) resolve against; every task runs
# there too (sbatch keeps the submitting folder), so the merge's check that all shards ran in one folder holds.
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 N SHARED_FOLDER SERVESIM_JAR COMMAND..." >&2
  exit 2
fi
shards=$1 out=$2 jar=$3
shift 3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$out"
printf '%s\n' "$@" > "$out/command.args"   # one argument per line: commas and spaces survive
array=$(sbatch --parsable --array=0-$((shards - 1)) --output="$out/log-shard-%a.txt" \
    --export=ALL,SERVESIM_JAR="$jar",SERVESIM_OUT="$out" "$here/servesim-shard.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes --output="$out/log-merge.txt" \
    --export=ALL,SERVESIM_JAR="$jar",SERVESIM_OUT="$out" "$here/servesim-merge.sbatch")
echo "shards: job array $array (tasks 0-$((shards - 1))); merge: job ${merge%%;*} after all of them"
