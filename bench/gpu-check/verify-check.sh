#!/usr/bin/env bash
# `esm2j verify` on a GPU: the precision table of both test checkpoints in bf16 and fp32 against the exact CPU
# encoder, on the test proteins (8 sequences, one of 1,100 residues cut to 1,022) and on a 64-sequence sample of
# 2,000 synthetic ones (20 to 1,500 residues); then the gate, which must fail (exit 8) with a bound no GPU meets.
#
#   bench/gpu-check/verify-check.sh OUTDIR
#
# Prepare on the build machine with bench/gpu-check/prepare.sh (the jar and a jlinked Java), then with the device
# tool:  command="bench/gpu-check/verify-check.sh $OUT/verify"  carry=["java/target/esm2j.jar", ".carry"]  timeout_s=300
# It builds libesm2j for this GPU (scripts/build-native.sh, about 15 s on an H200) unless ESM2J_LIBRARY names one.
# Prints each table, then one line per run and "verify-check: PASS" or "verify-check: FAIL"; the tables, logs and
# one JSON report stay in OUTDIR. Gates: fp32 --max-relative-error 1e-4 (the fp32 parity limit), bf16 7.3e-2 (the
# largest bf16 parity limit, BOS's: bench/gpu-check/TOLERANCES.md).
#
# Environment: ESM2J_LIBRARY, ESM2J_TESTDATA, JAVA, ESM2J_JAR as for java-check.sh; ESM2J_VERIFY_DEVICE (default
# cuda): `cpu` runs the whole script on a machine without a GPU (every error 0, nothing built).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:?usage: bench/gpu-check/verify-check.sh OUTDIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
data="${ESM2J_TESTDATA:-$root/testdata}"
device="${ESM2J_VERIFY_DEVICE:-cuda}"
failures=0
say() { echo "verify-check: $*"; }

# ---- the machine ----
{ date -u; nvidia-smi --query-gpu=name,compute_cap,memory.total,driver_version --format=csv 2>&1 || true; } | tee "$out/machine.log"

# ---- Java and the jar ----
java_bin="${JAVA:-}"
for j in "$root/.carry/jdk/bin/java" "$root/.jdk/bin/java" "$(command -v java || true)"; do
    [ -z "$java_bin" ] && [ -n "$j" ] && [ -x "$j" ] && "$j" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])' && java_bin="$j"
done
if [ -z "$java_bin" ] && [ -f "$root/.carry/jdk.tar.xz" ]; then
    mkdir -p /tmp/esm2j-jdk && tar -C /tmp/esm2j-jdk -xJf "$root/.carry/jdk.tar.xz" && java_bin=/tmp/esm2j-jdk/jdk/bin/java
fi
[ -n "$java_bin" ] || { say "FAIL no Java 25 (set JAVA, or carry .carry/jdk.tar.xz from prepare.sh)"; exit 1; }
jar="${ESM2J_JAR:-}"
for j in "$root/java/target/esm2j.jar" "$root/.carry/esm2j.jar"; do
    [ -z "$jar" ] && [ -f "$j" ] && jar="$j"
done
[ -n "$jar" ] || { say "FAIL no esm2j jar (carry java/target/esm2j.jar)"; exit 1; }

# ---- the library (cuBLAS/cuDNN from PyTorch's nvidia packages) ----
py_nvidia="$(python3 -c 'import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))' 2>/dev/null || true)"
export ESM2J_NVIDIA_ROOTS="${ESM2J_NVIDIA_ROOTS:+$ESM2J_NVIDIA_ROOTS:}${py_nvidia}:$root/.deps/nvidia"
for d in "$py_nvidia"/nvidia/cu13/lib "$py_nvidia"/nvidia/cublas/lib "$py_nvidia"/nvidia/cudnn/lib "$py_nvidia"/nvidia/cuda_runtime/lib; do
    [ -d "$d" ] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done
lib="${ESM2J_LIBRARY:-}"
if [ -z "$lib" ] && [ "$device" != cpu ]; then
    build="${ESM2J_BUILD_DIR:-/tmp/esm2j-build}"
    cc="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d '.')"
    t0=$(date +%s)
    if [ -f "$build/libesm2j.so" ] || ESM2J_CUDA_ARCHITECTURES="${ESM2J_CUDA_ARCHITECTURES:-${cc:-90}}" ESM2J_SKIP_CTEST=1 \
        timeout 150 "$root/scripts/build-native.sh" "$build" >"$out/build.log" 2>&1; then
        lib="$build/libesm2j.so"
        say "library $lib ($(( $(date +%s) - t0 )) s)"
    else
        say "FAIL building libesm2j (tail of $out/build.log):"; tail -20 "$out/build.log"; exit 1
    fi
fi
export ESM2J_CACHE_DIR="$out/cache"

esm2j_cmd=("$java_bin" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=50)
[ -n "$lib" ] && esm2j_cmd+=(-Desm2j.library="$lib")
esm2j_cmd+=(-jar "$jar")
esm2j() { timeout 120 "${esm2j_cmd[@]}" "$@"; }
say "java $("$java_bin" -version 2>&1 | head -1), jar $jar, library ${lib:-none}, device $device, output $out"
esm2j devices 2>&1 | tee "$out/devices.txt"

# ---- inputs ----
python3 - "$out/synthetic.fasta" <<'PY'
import random, sys
random.seed(7)
letters = "LAGVSERTIDPKQNFYMHWC"
weights = [9.9, 8.3, 7.1, 6.9, 6.6, 6.8, 5.5, 5.3, 5.9, 5.5, 4.7, 5.8, 3.9, 4.1, 3.9, 2.9, 2.4, 2.3, 1.1, 1.4]
with open(sys.argv[1], "w") as f:
    for i in range(2000):
        n = max(20, min(1500, int(random.lognormvariate(5.6, 0.6))))
        f.write(f">syn{i}\n" + "".join(random.choices(letters, weights, k=n)) + "\n")
PY

# ---- the tables ----
summary=()
for model in esm2-tiny-L2-E64-H4 esm2-small-L4-E128-H2; do
    layers="$(python3 -c 'import json, sys; n = json.load(open(sys.argv[1]))["num_hidden_layers"]; print(" ".join(map(str, range(n + 1))))' \
        "$data/$model/config.json")"
    for dtype in bf16 fp32; do
        bound=$([ "$dtype" = fp32 ] && echo 1e-4 || echo 7.3e-2)
        for input in proteins synthetic; do
            fasta=$([ "$input" = proteins ] && echo "$data/proteins.fasta" || echo "$out/synthetic.fasta")
            name="$model-$dtype-$input"
            t0=$(date +%s)
            # shellcheck disable=SC2086
            esm2j verify -m "$data/$model" -i "$fasta" --device "$device" --dtype "$dtype" --include mean per_tok bos logits \
                --repr-layers $layers --max-relative-error "$bound" >"$out/$name.txt" 2>"$out/$name.log"
            rc=$?
            echo; echo "---- $name (exit $rc, $(( $(date +%s) - t0 )) s)"; cat "$out/$name.txt"
            worst="$(awk 'NR > 1 && $1 ~ /^(mean|per_tok|bos|logits)$/ { if ($6 + 0 > w) { w = $6 + 0; at = $1 " " $2 " " $7 } } END { printf "%.2e%s", w, (at == "" ? "" : " (" at ")") }' "$out/$name.txt")"
            if [ $rc -eq 0 ]; then
                summary+=("ok   $name: worst relative L2 $worst <= $bound")
            else
                summary+=("FAIL $name: exit $rc, worst relative L2 $worst, bound $bound; $(grep -m1 'error' "$out/$name.log")")
                failures=$((failures + 1))
            fi
        done
    done
done

# ---- JSON, and the gate that must fail ----
if esm2j verify -q -m "$data/esm2-small-L4-E128-H2" -i "$out/synthetic.fasta" --device "$device" --dtype bf16 --include mean per_tok \
    --repr-layers -1 --json >"$out/small-bf16-synthetic.json" 2>"$out/json.log" \
    && python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); assert len(r["results"]) == 2 and r["sample"]["verified"] == 64, r["sample"]' \
        "$out/small-bf16-synthetic.json"; then
    summary+=("ok   --json: $out/small-bf16-synthetic.json")
else
    summary+=("FAIL --json: $(head -c 300 "$out/json.log")"); failures=$((failures + 1))
fi
esm2j verify -q -m "$data/esm2-tiny-L2-E64-H4" -i "$data/proteins.fasta" --device "$device" --dtype bf16 --max-relative-error 1e-9 \
    >"$out/gate.txt" 2>"$out/gate.log"
rc=$?
if { [ "$device" = cpu ] && [ $rc -eq 0 ]; } || { [ "$device" != cpu ] && [ $rc -eq 8 ]; }; then
    summary+=("ok   gate --max-relative-error 1e-9: exit $rc $(grep -m1 -v '^WARNING' "$out/gate.log" | cut -c1-160)")
else
    summary+=("FAIL gate --max-relative-error 1e-9: exit $rc (expected $([ "$device" = cpu ] && echo 0 || echo 8)): $(grep -m1 -v '^WARNING' "$out/gate.log")")
    failures=$((failures + 1))
fi

echo
echo "==== esm2j verify: $(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1 || echo "no GPU"), $(date -u +%Y-%m-%d)"
for line in "${summary[@]}"; do say "$line"; done
if [ "$failures" -eq 0 ]; then
    say "PASS"
    exit 0
fi
say "FAIL ($failures; logs in $out)"
exit 1
