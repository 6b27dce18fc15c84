#!/usr/bin/env python3
"""The benchmark's sequences, seeded: a realistic length mix or fixed-length sequences, as FASTA.

Realistic mix: residue counts lognormal with median 300 and sigma 0.6 (natural UniRef50-like spread: 10% under
140, 10% over 650), clipped to 30..1022 (fair-esm's truncation length); residues uniform over the 20 standard
amino acids. bench/src/.../Workloads.java draws the same distribution (not the same sequences) for JMH.

    python3 workload.py mix --count 200 --seed 1 > mix.fasta
    python3 workload.py fixed --count 8 --tokens 256 > 8x256.fasta
"""
import argparse
import sys

import numpy as np

AMINO_ACIDS = np.array(list("ACDEFGHIKLMNPQRSTVWY"))
MEDIAN, SIGMA, MIN_RESIDUES, MAX_RESIDUES = 300, 0.6, 30, 1022


def lengths_mix(count, seed):
    rng = np.random.default_rng(seed)
    lengths = np.rint(MEDIAN * np.exp(SIGMA * rng.standard_normal(count))).astype(int)
    return np.clip(lengths, MIN_RESIDUES, MAX_RESIDUES)


def sequences(lengths, seed):
    rng = np.random.default_rng(seed + 1_000_003)
    return ["".join(AMINO_ACIDS[rng.integers(0, len(AMINO_ACIDS), n)]) for n in lengths]


def write_fasta(seqs, out):
    for i, s in enumerate(seqs):
        out.write(f">seq{i} length={len(s)}\n")
        for j in range(0, len(s), 80):
            out.write(s[j:j + 80] + "\n")


def make(kind, count, seed, tokens=256):
    """The sequences of a workload: kind 'mix' or 'fixed' (each `tokens` long, BOS and EOS included)."""
    lengths = lengths_mix(count, seed) if kind == "mix" else np.full(count, tokens - 2)
    return sequences(lengths, seed)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["mix", "fixed"])
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tokens", type=int, default=256, help="tokens per sequence for 'fixed' (residues + 2)")
    args = ap.parse_args()
    write_fasta(make(args.kind, args.count, args.seed, args.tokens), sys.stdout)
