#!/usr/bin/env bash
# `esm2j embed --device cuda` end to end through FFM on emulated GPUs: libesm2j.so built against the CPU
# emulation runtime (cuda/emu, with its libcudart.so.13) is loaded by Java in place of the real library,
# on two emulated devices of different memory sizes with automatic batch sizing, and the embeddings must
# match the CPU encoder's (fp32: relative L2 <= 1e-5). About 20 s on 2 cores once the jar and build/emu exist.
#
#   scripts/test-java-on-emulated-gpus.sh [CHECKPOINT]      (default testdata/esm2-tiny-L2-E64-H4)
#
# Environment: ESM2J_EMU_DEVICES (default 840M,900M: Java keeps 768 MiB of each device in reserve, so the
# rest bounds the batch search), ESM2J_EMU_SCHEDULES (default forward: one schedule, for time).
# bin/check runs it after the Java build; scripts/test-kernels-on-cpu.sh must have configured build/emu.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
model="${1:-testdata/esm2-tiny-L2-E64-H4}"
build="$root/build/emu"
cmake --build "$build" --target esm2j_emu_shared esm2j_emu_cudart --parallel "${ESM2J_EMU_JOBS:-2}" >/dev/null \
    || { echo "test-java-on-emulated-gpus: building build/emu/lib failed (run scripts/test-kernels-on-cpu.sh first)" >&2; exit 2; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

t0=$(date +%s)
ESM2J_LIBRARY="$build/lib/libesm2j.so" ESM2J_NATIVE_BUILD=off ESM2J_EMU_DEVICES="${ESM2J_EMU_DEVICES:-840M,900M}" \
ESM2J_EMU_SCHEDULES="${ESM2J_EMU_SCHEDULES:-forward}" \
    bin/esm2j embed -m "$model" -i testdata/proteins.fasta -o "$out/gpu.safetensors" --format safetensors \
    --device cuda --dtype fp32 --overwrite >"$out/gpu.log" 2>&1 \
    || { tail -20 "$out/gpu.log" >&2; echo "test-java-on-emulated-gpus: FAIL: the emulated-GPU run failed" >&2; exit 1; }
t1=$(date +%s)
grep -E "devices:|agrees with|summary|cuda:[0-9] +[0-9]" "$out/gpu.log" || true
ESM2J_NATIVE_BUILD=off bin/esm2j embed -m "$model" -i testdata/proteins.fasta -o "$out/cpu.safetensors" \
    --format safetensors --device cpu --overwrite -q >"$out/cpu.log" 2>&1 \
    || { tail -20 "$out/cpu.log" >&2; echo "test-java-on-emulated-gpus: FAIL: the CPU run failed" >&2; exit 1; }
python3 - "$out/gpu.safetensors" "$out/cpu.safetensors" <<'EOF'
import json, struct, sys
import numpy as np

def load(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for key, v in header.items():
        if key == "__metadata__":
            continue
        a, b = v["data_offsets"]
        out[key] = np.frombuffer(raw[8 + n + a:8 + n + b], dtype={"F32": np.float32, "F16": np.float16}[v["dtype"]])
    return out

gpu, cpu = load(sys.argv[1]), load(sys.argv[2])
if set(gpu) != set(cpu):
    sys.exit("test-java-on-emulated-gpus: FAIL: the runs wrote different tensors")
worst, where = 0.0, ""
for key in cpu:
    err = np.linalg.norm(gpu[key].astype(np.float64) - cpu[key]) / max(np.linalg.norm(cpu[key].astype(np.float64)), 1e-30)
    if err > worst:
        worst, where = err, key
print("emulated GPUs vs CPU encoder: %d tensors, worst relative L2 %.2e (%s)" % (len(cpu), worst, where))
sys.exit(0 if worst <= 1e-5 else "test-java-on-emulated-gpus: FAIL: %s differs by %.2e > 1e-5" % (where, worst))
EOF
echo "test-java-on-emulated-gpus: ok ($((t1 - t0)) s on the emulated GPUs)"
