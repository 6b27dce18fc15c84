#!/usr/bin/env bash
# Run on the login node (it has network access): fetch the model into the shared hub cache, submit the
# array job, then the merge that starts when every task has succeeded. Prints both job ids.
#   INPUT=/shared/orfs.fa.gz OUT=/shared/emb SHARDS=16 examples/slurm/submit.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export ESM2J="${ESM2J:-$(cd "$here/../.." && pwd)/bin/esm2j}"
export MODEL="${MODEL:-facebook/esm2_t33_650M_UR50D}"
export INPUT="${INPUT:?set INPUT to the FASTA file}"
export OUT="${OUT:?set OUT to the output directory}"
export SHARDS="${SHARDS:-16}"
export HF_HUB_CACHE="${HF_HUB_CACHE:-$HOME/.cache/huggingface/hub}"   # must be visible from the compute nodes

"$ESM2J" fetch "$MODEL" >/dev/null
"$ESM2J" embed --model "$MODEL" --input "$INPUT" --output "$OUT/shard-0000" --shard "0/$SHARDS" --dry-run ${DEVICE_ARGS:---device cuda --dtype bf16} ${EMBED_ARGS:---include mean}
mkdir -p logs "$OUT"
array=$(sbatch --parsable --array="0-$((SHARDS - 1))" --export=ALL "$here/embed-array.sbatch")
merge=$(sbatch --parsable --dependency="afterok:${array%%;*}" --job-name=esm2j-merge --output=logs/%x-%j.out \
    --cpus-per-task=2 --mem=8G --time=02:00:00 \
    --wrap="'$ESM2J' merge --output '$OUT/all' '$OUT'/shard-*")
echo "array job $array, merge job $merge (runs after every shard succeeded); results: $OUT/all"
