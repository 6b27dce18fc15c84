#!/usr/bin/env bash
# The GPU check of --long-sequences window and full: the GPU's results against the exact CPU encoder's.
#
#   bench/gpu-check/long-sequences.sh [OUTDIR]
#
# Input: four proteins of 37, 1,022, 3,000 and 6,000 residues (seeded). For fp32 and bf16, and for window and full,
# `esm2j embed --device cuda` writes mean, per_tok, bos and logits of every layer of esm2-small; the CPU writes the same
# once per policy; every tensor is compared (relative L2 per tensor; fp32 <= 1e-4, bf16 the java check's limits from
# TOLERANCES.md). It also prints the longest sequence the GPU said it holds alone (the -v log line), and checks that
# --device cuda with full ran every protein on the GPU (nothing refused, nothing sent to the CPU).
# Prints one line per check and "long-sequences: PASS" or "long-sequences: FAIL"; exit 0 only when all pass.
#
# Environment: as java-check.sh (ESM2J_LIBRARY, ESM2J_TESTDATA, JAVA, ESM2J_JAR); ESM2J_LONG_CHECK_DEVICE (default
# cuda; `cpu` runs the whole script on a machine without a GPU, CPU against CPU) and ESM2J_LONG_CHECK_MODEL (default
# esm2-small-L4-E128-H2). Needs python3 with numpy. About a minute on an H100, most of it the CPU reference.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$(mktemp -d /tmp/esm2j-long-check.XXXXXX)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
data="${ESM2J_TESTDATA:-$root/testdata}"
lib="${ESM2J_LIBRARY:-$root/build/native/libesm2j.so}"
device="${ESM2J_LONG_CHECK_DEVICE:-cuda}"
model="$data/${ESM2J_LONG_CHECK_MODEL:-esm2-small-L4-E128-H2}"
failures=0
say() { echo "long-sequences: $*"; }
fail() { say "FAIL $*"; failures=$((failures + 1)); }

java_bin="${JAVA:-}"
for j in "$root/.carry/jdk/bin/java" "$root/.jdk/bin/java" "$(command -v java || true)"; do
    [ -z "$java_bin" ] && [ -n "$j" ] && [ -x "$j" ] && java_bin="$j"
done
[ -n "$java_bin" ] || { say "FAIL no Java (set JAVA or carry a jlinked JDK as .carry/jdk)"; exit 1; }
jar="${ESM2J_JAR:-}"
for j in "$root/java/target/esm2j.jar" "$root/.carry/esm2j.jar"; do
    [ -z "$jar" ] && [ -f "$j" ] && jar="$j"
done
[ -n "$jar" ] && [ -f "$jar" ] || { say "FAIL no esm2j jar (mvn -pl java -am package -DskipTests, or set ESM2J_JAR)"; exit 1; }
[ "$device" = cpu ] || [ -f "$lib" ] || { say "FAIL no libesm2j.so at $lib"; exit 1; }
[ -f "$model/config.json" ] || { say "FAIL no model at $model"; exit 1; }
python3 -c 'import numpy' 2>/dev/null || { say "FAIL python3 with numpy is needed to compare"; exit 1; }
py_nvidia="$(python3 -c 'import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))' 2>/dev/null || true)"
for d in "$py_nvidia"/nvidia/cu13/lib "$py_nvidia"/nvidia/cublas/lib "$py_nvidia"/nvidia/cudnn/lib "$py_nvidia"/nvidia/cuda_runtime/lib; do
    [ -d "$d" ] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done
export ESM2J_CACHE_DIR="$out/cache"
esm2j() {
    "$java_bin" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=50 \
        -Desm2j.library="$lib" -jar "$jar" "$@"
}

python3 - "$out/long.fasta" <<'PY'
import random, sys
random.seed(16)
with open(sys.argv[1], "w") as f:
    for name, n in (("short", 37), ("one-window", 1022), ("long3000", 3000), ("long6000", 6000)):
        seq = "".join(random.choice("LAGVSERTIDPKQNFYMHWC") for _ in range(n))
        f.write(f">{name}\n" + "\n".join(seq[i:i + 60] for i in range(0, n, 60)) + "\n")
PY

cat >"$out/compare.py" <<'PY'
import json, struct, sys
import numpy as np
def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        out = {}
        for name, t in header.items():
            if name == "__metadata__":
                continue
            b, e = t["data_offsets"]
            f.seek(8 + n + b)
            out[name] = np.frombuffer(f.read(e - b), dtype={"F32": np.float32, "F16": np.float16}[t["dtype"]]).reshape(t["shape"])
        return out
actual, expected = load(sys.argv[1]), load(sys.argv[2])
dtype, label = sys.argv[3], sys.argv[4]
limits = {"fp32": {"mean": 1e-4, "bos": 1e-4, "per_tok": 1e-4, "logits": 1e-4},
          "bf16": {"mean": 2.3e-2, "bos": 7.3e-2, "per_tok": 5.1e-2, "logits": 5.6e-2}}[dtype]
bad, worst = [], {}
for name, x in expected.items():
    kind = name.split(".")[1]
    a = actual.get(name)
    if a is None or a.shape != x.shape:
        bad.append(f"{name}: {'missing' if a is None else a.shape} vs {x.shape}"); continue
    err = float(np.linalg.norm(a.astype(np.float64) - x) / max(np.linalg.norm(x.astype(np.float64)), 1e-300))
    worst[kind] = max(worst.get(kind, 0.0), err)
    if err > limits[kind]:
        bad.append(f"{name} rel L2 {err:.2e} > {limits[kind]:.1e}")
summary = ", ".join(f"{k} {v:.1e}" for k, v in sorted(worst.items()))
if bad or not worst:
    print(f"FAIL {label}: {len(bad)} tensors out of tolerance ({summary}); " + "; ".join(bad[:4])); sys.exit(1)
print(f"ok   {label}: {len(expected)} tensors, worst rel L2 {summary}")
PY

layers="$(python3 -c 'import json, sys; n = json.load(open(sys.argv[1]))["num_hidden_layers"]; print(" ".join(map(str, range(n + 1))))' "$model/config.json")"
run() { # OUTPUT DEVICE DTYPE POLICY
    # shellcheck disable=SC2086
    esm2j embed -v -m "$model" -i "$out/long.fasta" -o "$1" --format safetensors --device "$2" --dtype "$3" --long-sequences "$4" \
        --include mean per_tok bos logits --repr-layers $layers --progress none --overwrite >"${1%.safetensors}.log" 2>&1
}
for policy in window full; do
    ref="$out/cpu-$policy.safetensors"
    run "$ref" cpu fp32 "$policy" || { fail "$policy on the CPU: $(grep -m1 'error' "${ref%.safetensors}.log")"; continue; }
    for dtype in fp32 bf16; do
        o="$out/$device-$policy-$dtype.safetensors"
        if run "$o" "$device" "$dtype" "$policy"; then
            r="$(python3 "$out/compare.py" "$o" "$ref" "$dtype" "$policy $dtype on $device vs the CPU")" || failures=$((failures + 1))
            say "$r"
            log="${o%.safetensors}.log"
            longest="$(grep -m1 -o 'longest sequence the GPUs hold alone.*' "$log")"
            [ -n "$longest" ] && say "     $longest"
            if [ "$device" != cpu ] && grep -q 'it runs on the CPU' "$log"; then
                fail "$policy $dtype: a protein was sent to the CPU: $(grep -m1 'it runs on the CPU' "$log")"
            fi
            grep -m1 -o 'proteins embedded as windows.*' "$log" | sed 's/^/long-sequences:      /'
        else
            fail "$policy $dtype on $device: $(grep -m1 'error' "${o%.safetensors}.log")"
        fi
    done
done

if [ "$failures" -eq 0 ]; then
    say "PASS"
    exit 0
fi
say "FAIL ($failures failed checks; logs in $out)"
exit 1
