#!/usr/bin/env python3
"""Random-weight ESM-2 checkpoints of the published shapes, in the model hub's layout.

config.json as transformers 4.x wrote it for facebook/esm2_*, and model.safetensors with EsmForMaskedLM's
key names (esm.encoder.layer.N.attention.LayerNorm.weight, ...; LayerNorm.weight/bias, not gamma/beta) and
one rotary inv_freq per layer rounded to float16 as the published checkpoints store it. The file is written
with safetensors directly: transformers 5.x's save_pretrained uses other key names.

Weights are scaled like a trained model's (linear ~ U(+-1/sqrt(in)), LayerNorm gains near 1) so activations
stay in a normal range; speed does not depend on the values.

    python3 checkpoint.py 35M /tmp/esm2-random-35M
"""
import argparse
import json
import pathlib

import numpy as np

# name: (layers, width, heads); FFN = 4 x width, vocabulary 33.
SHAPES = {
    "8M": (6, 320, 20),
    "35M": (12, 480, 20),
    "150M": (30, 640, 20),
    "650M": (33, 1280, 20),
    "3B": (36, 2560, 40),
}
VOCAB = 33


def config(shape):
    layers, width, heads = SHAPES[shape]
    return {
        "_name_or_path": f"random/esm2-{shape}",
        "architectures": ["EsmForMaskedLM"],
        "attention_probs_dropout_prob": 0.0,
        "classifier_dropout": None,
        "emb_layer_norm_before": False,
        "esmfold_config": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.0,
        "hidden_size": width,
        "initializer_range": 0.02,
        "intermediate_size": 4 * width,
        "is_folding_model": False,
        "layer_norm_eps": 1e-05,
        "mask_token_id": 32,
        "max_position_embeddings": 1026,
        "model_type": "esm",
        "num_attention_heads": heads,
        "num_hidden_layers": layers,
        "pad_token_id": 1,
        "position_embedding_type": "rotary",
        "token_dropout": True,
        "torch_dtype": "float32",
        "transformers_version": "4.25.0.dev0",
        "use_cache": True,
        "vocab_list": None,
        "vocab_size": VOCAB,
    }


def tensors(shape, seed):
    layers, e, heads = SHAPES[shape]
    f = 4 * e
    d = e // heads
    rng = np.random.default_rng(seed)
    t = {}

    def uniform(bound, *dims):
        return rng.uniform(-bound, bound, dims).astype(np.float32)

    def linear(prefix, out_dim, in_dim):
        t[prefix + ".weight"] = uniform(1 / np.sqrt(in_dim), out_dim, in_dim)
        t[prefix + ".bias"] = uniform(0.1, out_dim)

    def norm(prefix, dim):
        t[prefix + ".weight"] = (1 + uniform(0.1, dim)).astype(np.float32)
        t[prefix + ".bias"] = uniform(0.1, dim)

    # fair-esm's 1 / 10000^(2i/d), stored rounded to float16 as in the published checkpoints.
    inv_freq = (1.0 / 10000 ** (np.arange(0, d, 2, dtype=np.float64) / d)).astype(np.float16).astype(np.float32)
    t["esm.embeddings.word_embeddings.weight"] = uniform(1.0, VOCAB, e)
    for layer in range(layers):
        p = f"esm.encoder.layer.{layer}."
        norm(p + "attention.LayerNorm", e)
        for name in ("query", "key", "value"):
            linear(p + "attention.self." + name, e, e)
        t[p + "attention.self.rotary_embeddings.inv_freq"] = inv_freq.copy()
        linear(p + "attention.output.dense", e, e)
        norm(p + "LayerNorm", e)
        linear(p + "intermediate.dense", f, e)
        linear(p + "output.dense", e, f)
    norm("esm.encoder.emb_layer_norm_after", e)
    t["esm.contact_head.regression.weight"] = uniform(0.1, 1, layers * heads)
    t["esm.contact_head.regression.bias"] = uniform(0.1, 1)
    linear("lm_head.dense", e, e)
    norm("lm_head.layer_norm", e)
    t["lm_head.bias"] = uniform(0.1, VOCAB)
    return t


def write(shape, directory, seed=0):
    """Writes config.json and model.safetensors into directory (created); returns the directory."""
    from safetensors.numpy import save_file

    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / "model.safetensors.partial"
    save_file(tensors(shape, seed), str(partial), metadata={"format": "pt"})
    partial.replace(directory / "model.safetensors")
    (directory / "config.json").write_text(json.dumps(config(shape), indent=2) + "\n")
    return directory


def parameter_count(shape):
    """Parameters of the matrix products every token goes through (the LM and contact heads excluded)."""
    layers, e, _ = SHAPES[shape]
    return layers * (4 * e * e + 2 * e * 4 * e)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shape", choices=SHAPES)
    ap.add_argument("directory")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    print(write(args.shape, args.directory, args.seed))
