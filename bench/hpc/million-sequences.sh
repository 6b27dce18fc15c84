#!/usr/bin/env bash
# Bounded memory, measured: one million short sequences through the tiny checkpoint with the heap capped
# at 256 MB (issue 7). Prints wall time and peak RSS, then checks the dataset with numpy.
#   bench/hpc/million-sequences.sh [WORKDIR]      (N=... to change the count, HEAP=... the heap cap)
# Needs /usr/bin/time (GNU time) and python3 with numpy.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-/tmp/esm2j-million}"
n="${N:-1000000}"
heap="${HEAP:-256m}"
mkdir -p "$work"
fasta="$work/million.fa"
if [[ ! -s "$fasta" ]]; then
    python3 - "$fasta" "$n" <<'PY'
import random, sys
path, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261127)
alphabet = "LAGVSERTIDPKQNFYMHWC"
with open(path, "w") as f:
    for i in range(n):
        length = rng.randint(8, 40)
        f.write(">orf%07d\n%s\n" % (i, "".join(rng.choice(alphabet) for _ in range(length))))
PY
fi
echo "input: $fasta ($(du -h "$fasta" | cut -f1), $n sequences of 8-40 residues); heap -Xmx$heap" >&2
"$here/bin/esm2j" --version >/dev/null   # builds the jar first, outside the measurement
out="$work/out"
ESM2J_JAVA_OPTS="-Xmx$heap" /usr/bin/time -v "$here/bin/esm2j" embed -m "$here/examples/models/esm2-tiny-L2-E64-H4" \
    -i "$fasta" -o "$out" --overwrite 2> "$work/run.log" || { tail -30 "$work/run.log" >&2; exit 1; }
grep -E "INFO|WARN" "$work/run.log" | tail -4 >&2
wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/run.log")"
rss_kb="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/run.log")"
python3 - "$out" "$n" <<'PY'
import json, sys, numpy as np
d, n = sys.argv[1], int(sys.argv[2])
m = json.load(open(d + "/manifest.json"))
a = np.load(d + "/mean.2.npy", mmap_mode="r")
ids = open(d + "/ids.txt").read().split()
assert a.shape == (n, 64) and m["rows"] == n and len(ids) == n and len(set(ids)) == n, (a.shape, m["rows"], len(ids))
assert ids[0] == "orf0000000" and ids[-1] == "orf%07d" % (n - 1)
assert np.isfinite(a[::997]).all()
print("dataset ok: %d rows, mean.2.npy %s %s" % (n, a.shape, a.dtype), file=sys.stderr)
PY
echo "sequences=$n heap=-Xmx$heap wall=$wall peak_rss=$((rss_kb / 1024)) MB cpus=$(nproc) java=$("$here/bin/esm2j" --version | head -1)"
