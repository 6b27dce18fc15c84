#!/usr/bin/env python3
"""PyTorch's own reduced-precision error on the test checkpoints: the yardstick for esm2j's BF16/FP16 limits.

    python3 bench/gpu-check/torch_bf16_error.py [TESTDATA_DIR]      (needs torch, transformers, numpy)

For each testdata checkpoint it runs transformers' EsmForMaskedLM on the token ids stored in
expected.safetensors (one sequence per forward pass, no padding) and compares every output with the
float64 reference there (fair-esm), exactly as bench/gpu-check/selftest.cpp and java-check.sh do:
one relative L2 per tensor -- per sequence and layer for mean [E], bos [E] and per_tok [n, E]
(residue positions 1..n), per sequence for logits [T, 33] -- and the cosine of each mean. The table
gives the worst tensor of each kind (what the limits bound) and the median.

Precisions: float64 (checks this script's pipeline: must be ~1e-12), float32, and the two ways
PyTorch users run ESM-2 in 16 bits: the whole model cast (`model.to(bfloat16)`: weights, activations,
LayerNorms and the residual stream all 16-bit) and autocast (FP32 weights and residual stream, matrix
products in 16 bits). esm2j's BF16 path is between the two: 16-bit weights and GEMM/attention inputs,
FP32 residual stream and LayerNorm statistics. Runs on the CPU (oneDNN's BF16 GEMMs accumulate in FP32,
as cuBLAS does); takes about a minute.
"""
import json
import os
import struct
import sys

import numpy as np
import torch
from transformers import EsmForMaskedLM

CHECKPOINTS = ["esm2-tiny-L2-E64-H4", "esm2-small-L4-E128-H2"]
KINDS = ["mean", "bos", "per_tok", "logits"]


def load_safetensors(path):
    """name -> numpy array (float32/int64), without the safetensors package."""
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
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


def cosine(a, b):
    a = np.asarray(a, np.float64).ravel()
    b = np.asarray(b, np.float64).ravel()
    return float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-300))


def run(model, tokens, autocast_dtype):
    """(hidden states per layer [T, E] each, logits [T, V]) as float64 numpy."""
    ids = torch.from_numpy(np.asarray(tokens, np.int64))[None, :]
    with torch.no_grad():
        if autocast_dtype is not None:
            with torch.autocast("cpu", dtype=autocast_dtype):
                out = model(input_ids=ids, attention_mask=torch.ones_like(ids), output_hidden_states=True)
        else:
            out = model(input_ids=ids, attention_mask=torch.ones_like(ids), output_hidden_states=True)
    hidden = [h[0].double().numpy() for h in out.hidden_states]
    return hidden, out.logits[0].double().numpy()


def measure(ck_dir, precision):
    expected = load_safetensors(os.path.join(ck_dir, "expected.safetensors"))
    model = EsmForMaskedLM.from_pretrained(ck_dir, torch_dtype=torch.float32)
    model.eval()
    autocast_dtype = None
    if precision == "float64":
        model = model.double()
    elif precision == "bf16 cast":
        model = model.to(torch.bfloat16)
    elif precision == "fp16 cast":
        model = model.to(torch.float16)
    elif precision == "bf16 autocast":
        autocast_dtype = torch.bfloat16
    elif precision == "fp16 autocast":
        autocast_dtype = torch.float16
    ids = sorted({name.split(".")[0] for name in expected if name.endswith(".tokens")})
    errors = {k: [] for k in KINDS}
    cosines = []
    for sid in ids:
        tokens = expected[f"{sid}.tokens"]
        hidden, logits = run(model, tokens, autocast_dtype)
        n = len(tokens) - 2
        for layer, h in enumerate(hidden):
            per_tok = h[1 : n + 1]
            mean = per_tok.mean(axis=0) if n > 0 else np.zeros(h.shape[1])
            want_mean = expected[f"{sid}.mean.{layer}"]
            errors["mean"].append(rel_l2(mean, want_mean))
            cosines.append(cosine(mean, want_mean))
            errors["bos"].append(rel_l2(h[0], expected[f"{sid}.bos.{layer}"]))
            errors["per_tok"].append(rel_l2(per_tok, expected[f"{sid}.per_tok.{layer}"]))
        errors["logits"].append(rel_l2(logits, expected[f"{sid}.logits"]))
    return errors, min(cosines), len(ids)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "testdata")
    torch.manual_seed(0)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    print(f"torch {torch.__version__}; worst (median) relative L2 per tensor against fair-esm float64; "
          "min cosine of the means")
    print(f"| checkpoint | precision | {' | '.join(KINDS)} | 1 - min mean cos |")
    print("|---|---|" + "---|" * (len(KINDS) + 1))
    worst_cast = {}  # dtype -> kind -> worst over both checkpoints of the whole-model cast
    for name in CHECKPOINTS:
        for precision in ["float64", "float32", "bf16 cast", "bf16 autocast", "fp16 cast", "fp16 autocast"]:
            try:
                errors, min_cos, n_seqs = measure(os.path.join(data, name), precision)
            except (RuntimeError, TypeError) as e:  # an op without a CPU kernel for this dtype
                print(f"| {name} | {precision} | not available on this CPU build: {str(e).splitlines()[0][:80]} |")
                continue
            cells = [f"{max(errors[k]):.2e} ({float(np.median(errors[k])):.1e})" for k in KINDS]
            print(f"| {name} | {precision} | {' | '.join(cells)} | {1 - min_cos:.2e} |")
            sys.stdout.flush()
            if precision.endswith(" cast"):
                w = worst_cast.setdefault(precision.split()[0], {})
                for k in KINDS:
                    w[k] = max(w.get(k, 0.0), max(errors[k]))
                w["1-cos"] = max(w.get("1-cos", 0.0), 1 - min_cos)
    # The limits esm2j's 16-bit paths are held to (selftest.cpp, java-check.sh; reasoning in cuda/README.md):
    # 1.5 x PyTorch's whole-model-cast worst error per kind over both checkpoints, rounded up to 2 digits.
    print()
    for dtype, w in worst_cast.items():
        limits = ", ".join(f"{k} {round_up_2(1.5 * w[k]):.2g}" for k in KINDS + ["1-cos"])
        print(f"limits {dtype} (1.5 x PyTorch {dtype} cast, rounded up): {limits}")


def round_up_2(x):
    """x rounded up to two significant digits."""
    if x <= 0:
        return 0.0
    scale = 10.0 ** (np.floor(np.log10(x)) - 1)
    return float(np.ceil(x / scale - 1e-9) * scale)


if __name__ == "__main__":
    main()
