#!/bin/bash
# Submit a whole fit: an array of N partial tasks, then the merge, which
# Slurm starts only when every task has succeeded (afterok).
#
#   examples/slurm/submit.sh N OUT_DIR 'data/*.parquet' -y y [fit options]
#
# OUT_DIR must be on a file system every node sees. Prints the two job ids;
# the model is OUT_DIR/model.json once the merge job has finished.
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: submit.sh N OUT_DIR INPUTS [fit options]" >&2
  exit 2
fi
n=$1
out=$2
inputs=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$out"
# sbatch copies each script when it is submitted, so the jobs do not need
# this directory on the compute nodes; the logs go to OUT_DIR.
array=$(sbatch --parsable --array="0-$((n - 1))" --output="$out/linreg-partial-%A_%a.out" \
  "$here/partial.sbatch" "$out" "$inputs" "$@")
array=${array%%;*} # --parsable prints "id;cluster" on multi-cluster sites
merge=$(sbatch --parsable --dependency="afterok:$array" --output="$out/linreg-merge-%j.out" \
  "$here/merge.sbatch" "$out" "$n")
echo "partial array job $array ($n tasks), merge job $merge; model: $out/model.json"
