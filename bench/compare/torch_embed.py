#!/usr/bin/env python3
"""PyTorch side of the comparison: transformers' EsmModel on a FASTA file, in its best standard setup.

CPU: float32, torch.set_num_threads(--threads). GPU: bfloat16. Both: sdpa attention when transformers offers
it, sequences sorted by length (longest first, like esm2j) and cut into padded batches of at most
--toks-per-batch tokens counting padding (fair-esm's toks_per_batch), torch.inference_mode(). Output: the mean
of the last layer over residue positions (BOS/EOS/padding excluded), float32 .npy in input order.

Prints one JSON line on stdout: tokens (BOS/EOS counted, padding not), encode_seconds, first_result_time (epoch
seconds when the first batch's means were on the host), (tokens, seconds) per batch, device memory for GPU runs,
the weights' device bytes, the GEMM rate if asked.
"""
import argparse
import json
import time

import numpy as np
import torch
from transformers import EsmModel

# ESM-2 alphabet: <cls>=0 <pad>=1 <eos>=2 <unk>=3, then these letters from 4.
LETTERS = "LAGVSERTIDPKQNFYMHWCXBUZO.-"
TOKEN = {c: i + 4 for i, c in enumerate(LETTERS)}
CLS, PAD, EOS, UNK = 0, 1, 2, 3


def read_fasta(path):
    seqs, current = [], None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith(">"):
                if current is not None:
                    seqs.append("".join(current))
                current = []
            elif line:
                current.append(line)
    if current is not None:
        seqs.append("".join(current))
    return seqs


def tokenize(seq, truncation=1022):
    return [CLS] + [TOKEN.get(c, UNK) for c in seq.upper()[:truncation]] + [EOS]


def batches(token_lists, toks_per_batch):
    """Longest first; each batch padded to its longest member, at most toks_per_batch padded tokens."""
    order = sorted(range(len(token_lists)), key=lambda i: -len(token_lists[i]))
    batch, width = [], 0
    for i in order:
        w = max(width, len(token_lists[i]))
        if batch and w * (len(batch) + 1) > toks_per_batch:
            yield batch
            batch, w = [], len(token_lists[i])
        batch.append(i)
        width = w
    if batch:
        yield batch


def gemm_rate(device, dtype, n=8192, repeats=20):
    """FLOP/s of a large matrix product (cuBLAS on GPU): the denominator of model FLOPs utilisation."""
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    for _ in range(3):
        a @ b
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(repeats):
        a @ b
    torch.cuda.synchronize()
    return 2 * n ** 3 * repeats / (time.perf_counter() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--toks-per-batch", type=int, default=4096)
    ap.add_argument("--gemm-rate", action="store_true", help="also measure the bf16 GEMM rate (GPU)")
    args = ap.parse_args()

    gpu = args.device.startswith("cuda")
    if not gpu:
        torch.set_num_threads(args.threads)
        torch.set_num_interop_threads(1)
    dtype = torch.bfloat16 if gpu else torch.float32
    try:
        model = EsmModel.from_pretrained(args.model, add_pooling_layer=False, dtype=dtype, attn_implementation="sdpa")
        attention = "sdpa"
    except (ValueError, ImportError):
        model = EsmModel.from_pretrained(args.model, add_pooling_layer=False, dtype=dtype)
        attention = "eager"
    model = model.to(args.device).eval()

    token_lists = [tokenize(s) for s in read_fasta(args.input)]
    means = np.zeros((len(token_lists), model.config.hidden_size), dtype=np.float32)
    first_result = None
    batch_log = []  # (tokens, seconds) per batch, real tokens only
    if gpu:
        torch.cuda.reset_peak_memory_stats()
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    with torch.inference_mode():
        for batch in batches(token_lists, args.toks_per_batch):
            batch_start = time.perf_counter()
            width = max(len(token_lists[i]) for i in batch)
            ids = torch.full((len(batch), width), PAD, dtype=torch.long)
            for row, i in enumerate(batch):
                ids[row, :len(token_lists[i])] = torch.tensor(token_lists[i])
            ids = ids.to(args.device)
            mask = ids != PAD
            hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
            residues = mask.clone()
            residues[:, 0] = False
            residues &= ids != EOS
            pooled = (hidden.float() * residues.unsqueeze(-1)).sum(1) / residues.sum(1, keepdim=True)
            means[batch] = pooled.cpu().numpy()
            batch_log.append((sum(len(token_lists[i]) for i in batch), time.perf_counter() - batch_start))
            if first_result is None:
                first_result = time.time()
    if gpu:
        torch.cuda.synchronize()
    encode_seconds = time.perf_counter() - t0
    np.save(args.output, means)
    result = {
        "tokens": sum(len(t) for t in token_lists),
        "sequences": len(token_lists),
        "encode_seconds": encode_seconds,
        "first_result_time": first_result,
        "batches": batch_log,
        "dtype": str(dtype).removeprefix("torch."),
        "attention": attention,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }
    if gpu:
        result["device_name"] = torch.cuda.get_device_name()
        result["peak_device_memory_bytes"] = torch.cuda.max_memory_reserved()
        # What the weights take on the device (parameters and buffers): peak minus this is the activation memory.
        result["weight_bytes"] = sum(t.numel() * t.element_size() for t in list(model.parameters()) + list(model.buffers()))
        if args.gemm_rate:
            result["bf16_gemm_flops"] = gemm_rate(args.device, torch.bfloat16)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
