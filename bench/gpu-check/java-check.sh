#!/usr/bin/env bash
# The Java end-to-end GPU check: `esm2j embed --device cuda` through FFM, the scheduler and libesm2j.
#
#   bench/gpu-check/java-check.sh [OUTDIR]          (run.sh calls it as its JAVA_CHECK step)
#
# 1. parity: both test checkpoints, fp32 and bf16, every output but contacts, against
#    testdata/*/expected.safetensors (fair-esm in float64), with the CUDA issue's tolerances:
#    fp32 relative L2 <= 1e-4 for every tensor; bf16 1.5 x PyTorch bf16's own error on the same data, per
#    kind (bench/gpu-check/TOLERANCES.md: mean 2.3e-2 and 1 - cosine 1.7e-4, BOS 7.3e-2, per-token 5.1e-2,
#    logits 5.6e-2);
# 2. scale: a 10,000-sequence synthetic FASTA on esm2-small with no flags but --device cuda (automatic
#    batch sizing from an empty cache), printing the budget found, the search time and tokens/s; then its
#    first 200 sequences on the CPU, compared (bf16 tolerances) with what the GPU wrote for them.
# Prints one line per check and "java-check: PASS" or "java-check: FAIL"; exit 0 only when all pass.
#
# Environment (run.sh sets the first three):
#   ESM2J_LIBRARY   libesm2j.so to use (default: build/native/libesm2j.so)
#   ESM2J_TESTDATA  the reference data folder (default: testdata/)
#   JAVA            a Java 25+ (default: .carry/jdk/bin/java, .jdk/bin/java, then java on PATH). Without a JDK
#                   on the GPU machine carry a jlinked one (about 25 MB as .tar.xz):
#                   jlink --add-modules java.base,java.desktop,java.naming,java.sql,java.xml,java.logging,jdk.incubator.vector,jdk.unsupported \
#                         --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output .carry/jdk
#   ESM2J_JAR       the esm2j jar (default: java/target/esm2j.jar, then .carry/esm2j.jar; build it with
#                   `mvn -pl java -am package -DskipTests` before carrying the tree)
#   ESM2J_JAVA_CHECK_DEVICE, ESM2J_JAVA_CHECK_SEQUENCES   dry-run knobs (default cuda, 10000): `cpu` and a few
#                   hundred sequences run the whole script on a machine without a GPU
# Needs python3 with numpy (the GPU machine's PyTorch environment has it). Takes about a minute on an H100:
# give run.sh ESM2J_JAVA_LIMIT=120.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-${ESM2J_JAVA_OUT:-$(mktemp -d /tmp/esm2j-java-check.XXXXXX)}}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
data="${ESM2J_TESTDATA:-$root/testdata}"
lib="${ESM2J_LIBRARY:-$root/build/native/libesm2j.so}"
device="${ESM2J_JAVA_CHECK_DEVICE:-cuda}"
count="${ESM2J_JAVA_CHECK_SEQUENCES:-10000}"
failures=0
say() { echo "java-check: $*"; }
fail() { say "FAIL $*"; failures=$((failures + 1)); }

# ---- Java, the jar, the library ----
java_bin="${JAVA:-}"
for j in "$root/.carry/jdk/bin/java" "$root/.jdk/bin/java" "$(command -v java || true)"; do
    [ -z "$java_bin" ] && [ -n "$j" ] && [ -x "$j" ] && java_bin="$j"
done
[ -n "$java_bin" ] || { say "FAIL no Java (set JAVA or carry a jlinked JDK as .carry/jdk)"; exit 1; }
java_major="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[ "${java_major%%.*}" -ge 25 ] 2>/dev/null || { say "FAIL $java_bin is Java ${java_major:-?}; esm2j needs 25+"; exit 1; }
jar="${ESM2J_JAR:-}"
for j in "$root/java/target/esm2j.jar" "$root/.carry/esm2j.jar"; do
    [ -z "$jar" ] && [ -f "$j" ] && jar="$j"
done
[ -n "$jar" ] && [ -f "$jar" ] || { say "FAIL no esm2j jar (build java/target/esm2j.jar before carrying the tree, or set ESM2J_JAR)"; exit 1; }
[ -f "$lib" ] || { say "FAIL no libesm2j.so at $lib"; exit 1; }
[ -f "$data/esm2-tiny-L2-E64-H4/expected.safetensors" ] || { say "FAIL no test data in $data"; exit 1; }
command -v python3 >/dev/null && python3 -c 'import numpy' 2>/dev/null || { say "FAIL python3 with numpy is needed to compare"; exit 1; }

# cuBLAS/cuDNN of PyTorch's nvidia packages, when libesm2j's RUNPATH (the build machine's) does not reach them.
py_nvidia="$(python3 -c 'import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))' 2>/dev/null || true)"
for d in "$py_nvidia"/nvidia/cu13/lib "$py_nvidia"/nvidia/cublas/lib "$py_nvidia"/nvidia/cudnn/lib "$py_nvidia"/nvidia/cuda_runtime/lib; do
    [ -d "$d" ] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done
export ESM2J_CACHE_DIR="$out/cache"   # an empty batch-size cache: the first GPU run searches
rm -rf "$ESM2J_CACHE_DIR"

esm2j() {
    "$java_bin" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=50 \
        -Desm2j.library="$lib" -jar "$jar" "$@"
}
say "java $("$java_bin" -version 2>&1 | head -1), jar $jar, library $lib, output $out"
esm2j devices >"$out/devices.txt" 2>&1
cat "$out/devices.txt"
esm2j devices --json >"$out/devices.json" 2>"$out/devices.err" || true

# ---- the comparison (numpy; reads safetensors without the safetensors package) ----
cat >"$out/compare.py" <<'PY'
import json, struct, sys
import numpy as np

def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        base = 8 + n
        out = {}
        for name, t in header.items():
            if name == "__metadata__":
                continue
            dt = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}[t["dtype"]]
            b, e = t["data_offsets"]
            f.seek(base + b)
            out[name] = np.frombuffer(f.read(e - b), dtype=dt).reshape(t["shape"])
        return out

def rel_l2(a, b):
    a = a.astype(np.float64); b = b.astype(np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))

def cosine(a, b):
    a = a.astype(np.float64).ravel(); b = b.astype(np.float64).ravel()
    return float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-300))

actual_path, expected_path, dtype, label = sys.argv[1:5]
actual, expected = load(actual_path), load(expected_path)
bad, worst, n = [], {}, 0
for name, x in expected.items():
    kind = name.split(".")[1] if "." in name else name
    if kind in ("tokens", "contacts"):
        continue
    if name not in actual:
        bad.append(f"{name} missing"); continue
    a = actual[name]
    if a.shape != x.shape:
        bad.append(f"{name} shape {a.shape} != {x.shape}"); continue
    err = rel_l2(a, x); n += 1
    worst[kind] = max(worst.get(kind, 0.0), err)
    # bf16/fp16: 1.5 x PyTorch's own error in that dtype on the same data (bench/gpu-check/TOLERANCES.md,
    # measured by torch_bf16_error.py); the same limits as selftest.cpp's parity_limits.
    limits = {"fp32": {"mean": 1e-4, "bos": 1e-4, "per_tok": 1e-4, "logits": 1e-4, "1-cos": 1.0},
              "bf16": {"mean": 2.3e-2, "bos": 7.3e-2, "per_tok": 5.1e-2, "logits": 5.6e-2, "1-cos": 1.7e-4},
              "fp16": {"mean": 2.0e-3, "bos": 3.0e-3, "per_tok": 3.4e-3, "logits": 3.7e-3, "1-cos": 1.3e-6}}[dtype]
    limit = limits.get(kind, limits["per_tok"])
    if err > limit:
        bad.append(f"{name} rel L2 {err:.2e} > {limit:.1e}")
    if kind == "mean" and 1 - cosine(a, x) > limits["1-cos"]:
        bad.append(f"{name} 1 - cosine {1 - cosine(a, x):.1e} > {limits['1-cos']:.1e}")
summary = ", ".join(f"{k} {v:.1e}" for k, v in sorted(worst.items()))
if bad or n == 0:
    print(f"FAIL {label}: {len(bad)} of {n} tensors out of tolerance ({summary}); " + "; ".join(bad[:5]))
    sys.exit(1)
print(f"ok   {label}: {n} tensors, worst rel L2 {summary}")
PY

# ---- 1. parity ----
for model in esm2-tiny-L2-E64-H4 esm2-small-L4-E128-H2; do
    layers="$(python3 -c 'import json, sys; n = json.load(open(sys.argv[1]))["num_hidden_layers"]; print(" ".join(map(str, range(n + 1))))' \
        "$data/$model/config.json")"
    for dtype in fp32 bf16; do
        o="$out/parity-$model-$dtype.safetensors"
        rm -f "$o"
        # shellcheck disable=SC2086
        if esm2j embed -m "$data/$model" -i "$data/proteins.fasta" -o "$o" --format safetensors --device "$device" --dtype "$dtype" \
            --include mean per_tok bos logits --repr-layers $layers --progress none >"$out/parity-$model-$dtype.log" 2>&1; then
            r="$(python3 "$out/compare.py" "$o" "$data/$model/expected.safetensors" "$dtype" "$model $dtype")" || failures=$((failures + 1))
            say "$r"
        else
            fail "$model $dtype: esm2j exited with an error: $(grep -m1 'error' "$out/parity-$model-$dtype.log")"
        fi
    done
done

# ---- 2. 10,000 synthetic sequences, automatic sizing ----
python3 - "$out/synthetic.fasta" "$out/synthetic-200.fasta" "$count" <<'PY'
import random, sys
random.seed(7)
letters = "LAGVSERTIDPKQNFYMHWC"
weights = [9.9, 8.3, 7.1, 6.9, 6.6, 6.8, 5.5, 5.3, 5.9, 5.5, 4.7, 5.8, 3.9, 4.1, 3.9, 2.9, 2.4, 2.3, 1.1, 1.4]
with open(sys.argv[1], "w") as big, open(sys.argv[2], "w") as small:
    for i in range(int(sys.argv[3])):
        n = max(20, min(1500, int(random.lognormvariate(5.6, 0.6))))   # median ~270 residues, some truncated at 1022
        seq = "".join(random.choices(letters, weights, k=n))
        rec = f">syn{i}\n" + "\n".join(seq[j:j + 60] for j in range(0, n, 60)) + "\n"
        big.write(rec)
        if i < 200:
            small.write(rec)
PY
syn="$out/synthetic-gpu.safetensors"
rm -f "$syn" "$out/synthetic-cpu.safetensors"
t0=$(date +%s.%N)
if esm2j embed -m "$data/esm2-small-L4-E128-H2" -i "$out/synthetic.fasta" -o "$syn" --format safetensors --device "$device" \
    --progress none >"$out/synthetic-gpu.log" 2>&1; then
    t1=$(date +%s.%N)
    budget="$(grep -m1 -o 'token budget [0-9]* ([^)]*)' "$out/synthetic-gpu.log")"
    summary="$(grep -m1 -o 'summary: .*' "$out/synthetic-gpu.log")"
    # The summary table's device rows: device, sequences, tokens, busy, tok/s, peak memory, tokens/batch, OOM retries.
    per_device="$(grep -E "^  ($device|cuda:[0-9]+) " "$out/synthetic-gpu.log" | sed 's/  */ /g' | paste -sd ';' -)"
    say "ok   synthetic $count on esm2-small ($device): ${budget:-no budget line (fixed or default budget)}"
    say "     ${summary:-summary missing}; wall $(python3 -c "print(f'{$t1 - $t0:.1f}')") s with JVM start; ${per_device:-}"
    # The attention backend measured at that budget (AttentionChooser): "cuda:0: attention cudnn: cudnn 2.1 ms vs flash ...".
    attention="$(grep -m1 -oE '(cuda:[0-9]+): attention [a-z]+[:,(].*' "$out/synthetic-gpu.log" | cut -c1-150)"
    say "     ${attention:-no attention line}"
    # Where the start-up went (JVM, input scan, checkpoint, the GPU's self-check probes, weights, sizing, first batch).
    say "     $(grep -m1 -o 'start-up (seconds since the process started): .*' "$out/synthetic-gpu.log" || echo 'start-up line missing')"
    python3 -c "import json,struct,sys;f=open(sys.argv[1],'rb');n=struct.unpack('<Q',f.read(8))[0];m=json.loads(f.read(n))['__metadata__'];s=json.loads(m['summary']);sys.exit(0 if s['sequences_written']==int(sys.argv[2]) else 1)" "$syn" "$count" \
        || fail "synthetic: not every sequence was written"
    if esm2j embed -m "$data/esm2-small-L4-E128-H2" -i "$out/synthetic-200.fasta" -o "$out/synthetic-cpu.safetensors" --format safetensors \
        --device cpu --progress none >"$out/synthetic-cpu.log" 2>&1; then
        r="$(python3 "$out/compare.py" "$syn" "$out/synthetic-cpu.safetensors" bf16 "synthetic first 200 vs CPU (bf16 tolerances)")" \
            || failures=$((failures + 1))
        say "$r"
    else
        fail "synthetic CPU reference run: $(grep -m1 'error' "$out/synthetic-cpu.log")"
    fi
else
    fail "synthetic 10,000: $(grep -m1 'error' "$out/synthetic-gpu.log")"
fi

if [ "$failures" -eq 0 ]; then
    say "PASS"
    exit 0
fi
say "FAIL ($failures failed checks; logs in $out)"
exit 1
