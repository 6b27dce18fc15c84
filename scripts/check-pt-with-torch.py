#!/usr/bin/env python3
"""Opens esm2j's --format pt files with the real torch.load and compares them with fair-esm's reference outputs.

    python3 -m venv /tmp/ptvenv && /tmp/ptvenv/bin/pip install torch numpy
    /tmp/ptvenv/bin/python scripts/check-pt-with-torch.py [OUT_DIR]

Runs the esm-extract command line through bin/esm2j (the tiny test model, testdata/proteins.fasta, every kind
esm-extract knows, layers 0 1 -1) into OUT_DIR (default: a temporary folder), then for every FASTA record:
  - torch.load(f"{OUT_DIR}/{label}.pt") with weights_only=True (PyTorch >= 2.6's default), weights_only=False and
    mmap=True, each giving the same dictionary;
  - the keys, label, int layers, dtypes and shapes esm-extract's scripts/extract.py saves;
  - every tensor against testdata/esm2-tiny-L2-E64-H4/expected.safetensors (fair-esm, float64): relative L2 <= 1e-4.
Also a float16 run (torch.float16 tensors, relative L2 <= 1e-3). Prints one line per check group and "OK" at the end;
exits 1 on the first mismatch. Not part of CI: it needs PyTorch, which CI does not install. The JUnit tests
(PtOutputTest) read the same files without PyTorch.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "testdata", "esm2-tiny-L2-E64-H4")
FASTA = os.path.join(ROOT, "testdata", "proteins.fasta")
EXPECTED = os.path.join(MODEL, "expected.safetensors")


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        b, e = t["data_offsets"]
        dt = {"F32": np.float32, "F16": np.float16, "I64": np.int64}[t["dtype"]]
        out[name] = np.frombuffer(data[b:e], dtype=dt).reshape(t["shape"])
    return out


def labels(fasta):
    # fair-esm's FastaBatchedDataset: the header line after '>', stripped.
    with open(fasta) as f:
        return [line[1:].strip() for line in f if line.startswith(">")]


def rel_l2(actual, expected):
    a = actual.double().numpy()
    e = expected.astype(np.float64)
    return float(np.linalg.norm(a - e) / max(np.linalg.norm(e), 1e-300))


def check(ok, what):
    if not ok:
        print("FAIL:", what)
        sys.exit(1)


def embed(out, *extra):
    cmd = [os.path.join(ROOT, "bin", "esm2j"), "embed", MODEL, FASTA, out, "--repr_layers", "0", "1", "-1",
           "--include", "mean", "per_tok", "bos", "contacts", "--format", "pt", "--nogpu", "-q", *extra]
    subprocess.run(cmd, check=True)


def compare(out, dtype, tolerance):
    ref = read_safetensors(EXPECTED)
    compared = 0
    for label in labels(FASTA):
        path = os.path.join(out, f"{label}.pt")
        safe = torch.load(path, weights_only=True)
        full = torch.load(path, weights_only=False)
        mapped = torch.load(path, weights_only=True, mmap=True)
        check(list(safe.keys()) == ["label", "representations", "mean_representations", "bos_representations", "contacts"],
              f"{label}: keys {list(safe.keys())}")
        check(safe["label"] == label, f"{label}: label {safe['label']!r}")
        id_ = label.split()[0]
        for key, kind in (("representations", "per_tok"), ("mean_representations", "mean"), ("bos_representations", "bos")):
            check(list(safe[key].keys()) == [0, 1, 2], f"{label} {key}: layers {list(safe[key].keys())}")
            for layer, t in safe[key].items():
                check(t.dtype == dtype, f"{label} {key} {layer}: dtype {t.dtype}")
                check(torch.equal(t, full[key][layer]) and torch.equal(t, mapped[key][layer]), f"{label} {key} {layer}: loaders differ")
                e = ref[f"{id_}.{kind}.{layer}"]
                check(tuple(t.shape) == e.shape, f"{label} {key} {layer}: shape {tuple(t.shape)} vs {e.shape}")
                err = rel_l2(t, e)
                check(err <= tolerance, f"{label} {key} {layer}: relative L2 {err:.2e}")
                compared += 1
        c = safe["contacts"]
        n = safe["representations"][0].shape[0]
        check(tuple(c.shape) == (n, n), f"{label} contacts: shape {tuple(c.shape)}")
        if f"{id_}.contacts" in ref:
            err = rel_l2(c, ref[f"{id_}.contacts"])
            check(err <= tolerance, f"{label} contacts: relative L2 {err:.2e}")
            compared += 1
    return compared


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="esm2j-pt-")
    out32 = os.path.join(base, "float32")
    out16 = os.path.join(base, "float16")
    embed(out32, "--overwrite")
    n = compare(out32, torch.float32, 1e-4)
    print(f"float32: torch {torch.__version__} opened {len(labels(FASTA))} files (weights_only True/False, mmap); "
          f"{n} tensors match fair-esm (relative L2 <= 1e-4)")
    embed(out16, "--overwrite", "--output-dtype", "float16")
    n = compare(out16, torch.float16, 1e-3)
    print(f"float16: {n} tensors match fair-esm (relative L2 <= 1e-3)")
    print("OK")


if __name__ == "__main__":
    main()
