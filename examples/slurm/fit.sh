#!/bin/bash
# A whole fit on Slurm: round after round of an N-task partial.sbatch array
# and a merge.sbatch job, until the merge writes the model.
#
#   examples/slurm/fit.sh N OUT_DIR 'data/*.parquet' -y y [fit options]
#
# A plain exact fit is one round; --refine on (or auto, on an ill-conditioned
# design), --se hc0…hc3, --cluster and --diagnostics add a round each, a
# formula with factors one before. Round r's parts, round document and logs
# are in OUT_DIR/round-r; the model is OUT_DIR/model.json.
#
# It waits for each job (sbatch --wait), so run it where it may keep running
# for the length of the fit: in tmux/screen on a login node, or as a small
# job of its own (sbatch --cpus-per-task=1 fit.sh …). OUT_DIR and the inputs
# must be on a file system every node sees; give the inputs as absolute
# paths (or run from a directory every node has), since the tasks resolve
# them in their working directory. Environment: LINREG as in partial.sbatch.
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: fit.sh N OUT_DIR INPUTS [fit options]" >&2
  exit 2
fi
n=$1
out=$2
inputs=$3
shift 3
# sbatch copies each script when it is submitted: the nodes need not see this directory.
here=$(cd "$(dirname "$0")" && pwd)

partial_extra=() # --pass NEXT --model DOC after the first round
merge_extra=()   # --model DOC after the first round
for round in 1 2 3 4 5 6; do
  dir="$out/round-$round"
  mkdir -p "$dir"
  # --wait: sbatch returns when every task has ended, exiting non-zero if one failed.
  if ! sbatch --wait --quiet --array="0-$((n - 1))" --output="$dir/partial-%A_%a.out" \
    "$here/partial.sbatch" "$dir" "$inputs" "$@" "${partial_extra[@]}"; then
    echo "fit.sh: round $round: a partial task failed; see $dir/partial-*.out" >&2
    exit 1
  fi
  if ! sbatch --wait --quiet --output="$dir/merge-%j.out" \
    "$here/merge.sbatch" "$dir" "$n" "$dir/merged.json" "${merge_extra[@]}"; then
    echo "fit.sh: round $round: the merge failed; see $dir/merge-*.out" >&2
    exit 1
  fi
  next=$(sed -n 's/^ *"next": "\([a-z]*\)".*/\1/p' "$dir/merged.json" | head -n 1)
  if ! grep -q '"format": "linreg-rounds"' "$dir/merged.json"; then
    mv "$dir/merged.json" "$out/model.json"
    cat "$dir"/merge-*.out # the fit summary
    echo "fit.sh: $round round(s); model: $out/model.json" >&2
    exit 0
  fi
  echo "fit.sh: round $round done; the fit needs a $next pass" >&2
  partial_extra=(--pass "$next" --model "$dir/merged.json")
  merge_extra=(--model "$dir/merged.json")
done
echo "fit.sh: still not done after $round rounds; see $out/round-*/" >&2
exit 1
