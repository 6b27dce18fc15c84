#!/usr/bin/env python3
"""esm2j against transformers' EsmModel in PyTorch: same random-weight checkpoint, same sequences, one run.

For each model shape: writes the checkpoint (hub layout, see checkpoint.py) and the workload FASTA (see
workload.py) under --workdir, runs `bin/esm2j embed` and torch_embed.py one after the other as separate
processes, and prints for each side tokens/s of the encoding phase (all batches, and after the first one, which
pays the JIT's or the library's warm-up), end to end (process start to exit), peak memory (resident set on CPU,
device memory on GPU), time to first result (process start to the first batch's embeddings), the ratio, and how
closely the two sides' mean embeddings agree. GPU runs add model FLOPs utilisation.

    bench/compare/compare.py --shapes 8M,35M --device cpu --threads 2
    bench/compare/compare.py --shapes 8M,35M --workload fixed --count 80   # 8 x 256-token batches
    bench/compare/compare.py --shapes 150M,650M,3B --device cuda           # on a GPU machine

Run it with the Python that has torch and transformers (e.g. .venv/bin/python); see README.md.
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import re
import subprocess
import sys
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
import checkpoint  # noqa: E402
import workload  # noqa: E402


def run(cmd, log_path, env=None):
    """Runs cmd to completion; returns (start epoch seconds, wall seconds, peak RSS bytes, stdout)."""
    start = time.time()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, env=env, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.time() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed with exit code {proc.returncode}; see {log_path}")
    return start, wall, usage.ru_maxrss * 1024, out


BATCH_LINE = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) .*batch \d+ done on \S+: \d+ sequences, (\d+) tokens in (\d+) ms")


def esm2j_batches(log_file):
    """From esm2j's 'batch ... done' debug lines (--log-file, millisecond timestamps): the epoch seconds of the
    first, and (tokens, seconds) of each batch."""
    first, batches = None, []
    for line in pathlib.Path(log_file).read_text().splitlines():
        m = BATCH_LINE.match(line)
        if m:
            if first is None:
                first = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
            batches.append((int(m.group(2)), int(m.group(3)) / 1000))
    return first, batches


def steady_rate(batches):
    """Tokens/s after the first batch (which pays the JIT's or the library's warm-up), or None with one batch."""
    rest = batches[1:]
    seconds = sum(s for _, s in rest)
    return sum(t for t, _ in rest) / seconds if rest and seconds > 0 else None


def model_flops(shape, token_lists_lengths):
    """2 x parameters x tokens plus attention (Q.K^T and P.V: 4 n^2 E per layer per sequence)."""
    layers, width, _ = checkpoint.SHAPES[shape]
    params = checkpoint.parameter_count(shape)
    n = np.asarray(token_lists_lengths, dtype=np.float64)
    return 2 * params * n.sum() + layers * 4 * width * (n ** 2).sum()


def rel_l2(a, b):
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-30))


def compare_shape(shape, args, fasta, lengths):
    work = pathlib.Path(args.workdir)
    model_dir = work / "models" / f"esm2-random-{shape}"
    if not (model_dir / "model.safetensors").exists():
        print(f"writing random {shape} checkpoint to {model_dir}", file=sys.stderr)
        checkpoint.write(shape, model_dir)
    tag = f"{shape}-{args.workload}-{args.device}"
    out_dir = work / "out"
    out_dir.mkdir(exist_ok=True)

    env = dict(os.environ)
    esm2j_out = out_dir / f"esm2j-{tag}"
    esm2j_log = out_dir / f"esm2j-{tag}.log"
    esm2j_log.unlink(missing_ok=True)
    cmd = [str(args.esm2j), "embed", "--model", str(model_dir), "--input", str(fasta), "--output", str(esm2j_out),
           "--overwrite", "--include", "mean", "--device", args.device, "--log-file", str(esm2j_log)]
    if args.toks_per_batch:
        cmd += ["--toks-per-batch", str(args.toks_per_batch)]
    if args.device == "cpu":
        cmd += ["--threads", str(args.threads)]
    start, wall, rss, _ = run(cmd, out_dir / f"esm2j-{tag}.stderr", env)
    manifest = json.loads((esm2j_out / "manifest.json").read_text())
    summary = manifest["summary"]
    dev = summary["devices"][0]
    first, batches = esm2j_batches(esm2j_log)
    startup = {p["phase"]: p for p in summary.get("startup", [])}
    # The first result: esm2j's own start-up timeline (seconds since the process started) when the manifest has it,
    # else the first 'batch ... done' log line against the time this script started the process.
    first_done = startup.get("first batch done")
    ours = {
        "tokens": dev["tokens"], "encode_seconds": dev["busy_seconds"], "wall_seconds": wall,
        "steady_tokens_per_second": steady_rate(batches),
        "first_result_seconds": first_done["start_seconds"] if first_done else (None if first is None else first - start),
        "peak_memory_bytes": dev.get("peak_memory_bytes") if args.device != "cpu" else rss,
        "activation_memory_bytes": dev.get("activation_memory_bytes") if args.device != "cpu" else None,
        # The attention backend the scheduler measured fastest (or was told: ESM2J_ATTENTION), as PyTorch's row says its own.
        "device": dev["description"] + (f", {dev['attention']} attention ({dev.get('attention_source', '?')})"
                                         if "attention" in dev else ""),
        "startup": summary.get("startup"),
        "writer_wait_seconds": summary.get("writer_wait_seconds"),
    }
    layers = checkpoint.SHAPES[shape][0]
    ours_means = np.load(esm2j_out / f"mean.{layers}.npy")

    torch_out = out_dir / f"torch-{tag}.npy"
    cmd = [args.python, str(HERE / "torch_embed.py"), "--model", str(model_dir), "--input", str(fasta),
           "--output", str(torch_out), "--device", args.device, "--threads", str(args.threads),
           "--toks-per-batch", str(args.toks_per_batch or args.torch_toks_per_batch)]
    if args.device != "cpu":
        cmd.append("--gemm-rate")
    start, wall, rss, out = run(cmd, out_dir / f"torch-{tag}.stderr", env)
    t = json.loads(out.strip().splitlines()[-1])
    theirs = {
        "tokens": t["tokens"], "encode_seconds": t["encode_seconds"], "wall_seconds": wall,
        "steady_tokens_per_second": steady_rate(t["batches"]),
        "first_result_seconds": t["first_result_time"] - start,
        "peak_memory_bytes": t.get("peak_device_memory_bytes") if args.device != "cpu" else rss,
        "activation_memory_bytes": (t["peak_device_memory_bytes"] - t["weight_bytes"]
                                    if args.device != "cpu" and "weight_bytes" in t else None),
        "device": f"torch {t['torch']}, {t['dtype']}, {t['attention']} attention, {t['threads']} threads"
                  + (f", {t['device_name']}" if "device_name" in t else ""),
    }
    if ours["tokens"] != theirs["tokens"]:
        sys.exit(f"{shape}: esm2j counted {ours['tokens']} tokens, PyTorch {theirs['tokens']}: not the same workload")
    torch_means = np.load(torch_out)
    errors = [rel_l2(ours_means[i], torch_means[i]) for i in range(len(torch_means))]
    flops = model_flops(shape, lengths)
    for side in (ours, theirs):
        side["tokens_per_second"] = side["tokens"] / side["encode_seconds"]
        side["end_to_end_tokens_per_second"] = side["tokens"] / side["wall_seconds"]
        side["end_to_end_fraction"] = side["end_to_end_tokens_per_second"] / side["tokens_per_second"]
        side["model_flops_per_second"] = flops / side["encode_seconds"]
        if "bf16_gemm_flops" in t:
            side["mfu"] = side["model_flops_per_second"] / t["bf16_gemm_flops"]
    return {
        "shape": shape, "workload": args.workload, "sequences": len(lengths), "tokens": ours["tokens"],
        "esm2j": ours, "pytorch": theirs,
        "speedup": ours["tokens_per_second"] / theirs["tokens_per_second"],
        "steady_speedup": (ours["steady_tokens_per_second"] / theirs["steady_tokens_per_second"]
                           if ours["steady_tokens_per_second"] and theirs["steady_tokens_per_second"] else None),
        "memory_ratio": (ours["peak_memory_bytes"] / theirs["peak_memory_bytes"]
                         if ours["peak_memory_bytes"] and theirs["peak_memory_bytes"] else None),
        "activation_memory_ratio": (ours["activation_memory_bytes"] / theirs["activation_memory_bytes"]
                                    if ours["activation_memory_bytes"] and theirs["activation_memory_bytes"] else None),
        "mean_embedding_rel_l2_max": max(errors),
        "bf16_gemm_flops": t.get("bf16_gemm_flops"),
    }


def fmt_bytes(b):
    return "n/a" if not b else f"{b / 2**20:,.0f} MiB"


def print_result(r):
    def row(name, s):
        ttfr = "n/a" if s["first_result_seconds"] is None else f"{s['first_result_seconds']:.1f} s"
        mfu = f"  MFU {100 * s['mfu']:.1f}%" if "mfu" in s else ""
        steady = "n/a" if s["steady_tokens_per_second"] is None else f"{s['steady_tokens_per_second']:,.0f}"
        act = "" if not s.get("activation_memory_bytes") else f" (activations {fmt_bytes(s['activation_memory_bytes'])})"
        return (f"  {name:8} {s['tokens_per_second']:>9,.0f} tok/s  (after the 1st batch {steady:>7}, end to end"
                f" {s['end_to_end_tokens_per_second']:>7,.0f} = {100 * s['end_to_end_fraction']:.0f}%)"
                f"  peak {fmt_bytes(s['peak_memory_bytes']):>10}{act}  first result {ttfr:>7}"
                f"  {s['model_flops_per_second'] / 1e9:,.1f} GFLOP/s{mfu}  [{s['device']}]")
    print(f"{r['shape']} {r['workload']}: {r['sequences']} sequences, {r['tokens']:,} tokens")
    print(row("esm2j", r["esm2j"]))
    print(row("PyTorch", r["pytorch"]))
    mem = "" if r["memory_ratio"] is None else f", peak memory {r['memory_ratio']:.2f}x PyTorch's"
    if r.get("activation_memory_ratio") is not None:
        mem += f", activation memory {r['activation_memory_ratio']:.2f}x"
    steady = "" if r["steady_speedup"] is None else f" ({r['steady_speedup']:.2f}x after the first batch)"
    print(f"  esm2j / PyTorch: {r['speedup']:.2f}x tokens/s{steady}{mem}; mean embeddings agree to"
          f" {r['mean_embedding_rel_l2_max']:.1e} (max relative L2)")
    if r["esm2j"].get("startup"):
        print("  esm2j start-up (s since process start): " + ", ".join(
            f"{p['phase']} {p['start_seconds']:.2f}-{p['end_seconds']:.2f}" if p["end_seconds"] > p["start_seconds"]
            else f"{p['phase']} @{p['start_seconds']:.2f}" for p in r["esm2j"]["startup"]))


def print_table(results):
    """Issue 14's table: one row per shape, esm2j beside PyTorch."""
    print()
    print("| shape | esm2j tok/s (encoding) | end to end | end to end / encoding | first result | PyTorch tok/s | ratio"
          " | esm2j activations | PyTorch activations | activations ratio | peak vs PyTorch | esm2j MFU |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        o, t = r["esm2j"], r["pytorch"]
        def pct(x):
            return "n/a" if x is None else f"{100 * x:.0f}%"
        def ratio(x):
            return "n/a" if x is None else f"{x:.2f}x"
        ttfr = "n/a" if o["first_result_seconds"] is None else f"{o['first_result_seconds']:.1f} s"
        print(f"| {r['shape']}, {r['sequences']:,} seqs | {o['tokens_per_second']:,.0f} | {o['end_to_end_tokens_per_second']:,.0f}"
              f" | {pct(o['end_to_end_fraction'])} | {ttfr} | {t['tokens_per_second']:,.0f} | {r['speedup']:.2f}x"
              f" | {fmt_bytes(o.get('activation_memory_bytes'))} | {fmt_bytes(t.get('activation_memory_bytes'))}"
              f" | {ratio(r.get('activation_memory_ratio'))} | {ratio(r['memory_ratio'])} | {pct(o.get('mfu'))} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shapes", default="8M,35M", help="comma-separated: " + ", ".join(checkpoint.SHAPES))
    ap.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    ap.add_argument("--threads", type=int, default=2, help="CPU threads for both sides (default 2)")
    ap.add_argument("--workload", choices=["mix", "fixed"], default="mix",
                    help="mix: realistic lengths (default); fixed: --tokens-long sequences")
    ap.add_argument("--count", type=int, default=200, help="sequences (default 200)")
    ap.add_argument("--tokens", type=int, default=256, help="tokens per sequence for --workload fixed")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--toks-per-batch", type=int, default=None,
                    help="both sides' batch budget (CPU default 4096, 8 x --tokens for --workload fixed; GPU default:"
                         " esm2j sizes its batches itself, PyTorch gets --torch-toks-per-batch)")
    ap.add_argument("--torch-toks-per-batch", type=int, default=32768,
                    help="PyTorch's padded batch budget on the GPU when --toks-per-batch is not given (default 32768)")
    ap.add_argument("--workdir", default="/tmp/esm2j-compare")
    ap.add_argument("--esm2j", default=str(REPO / "bin" / "esm2j"))
    ap.add_argument("--python", default=sys.executable, help="Python with torch and transformers for the PyTorch side")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()
    if args.toks_per_batch is None and (args.device == "cpu" or args.workload == "fixed"):
        args.toks_per_batch = 8 * args.tokens if args.workload == "fixed" else 4096

    work = pathlib.Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    # bin/esm2j rebuilds the jar when sources changed: do that now, not inside the timed run.
    subprocess.run([str(args.esm2j), "--version"], check=True, stdout=subprocess.DEVNULL)
    seqs = workload.make(args.workload, args.count, args.seed, args.tokens)
    fasta = work / f"{args.workload}-{args.count}-{args.seed}-{args.tokens}.fasta"
    with open(fasta, "w") as f:
        workload.write_fasta(seqs, f)
    lengths = [len(s) + 2 for s in seqs]

    header = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "host": platform.node(), "cpu": cpu_name(), "cores": os.cpu_count(),
        "loadavg_before": os.getloadavg(), "device": args.device, "threads": args.threads,
        "workload": args.workload, "count": args.count, "seed": args.seed, "toks_per_batch": args.toks_per_batch,
    }
    print(f"{header['date']}  {header['cpu']}, {header['cores']} cores, load {header['loadavg_before'][0]:.2f}"
          f"  device {args.device}, {args.threads} threads, batches of <= "
          + (f"{args.toks_per_batch} tokens" if args.toks_per_batch
             else f"esm2j's own budget / {args.torch_toks_per_batch} padded tokens for PyTorch"))
    results = []
    for shape in args.shapes.split(","):
        r = compare_shape(shape.strip(), args, fasta, lengths)
        print_result(r)
        results.append(r)
    print_table(results)
    header["loadavg_after"] = os.getloadavg()
    print(f"load after: {header['loadavg_after'][0]:.2f}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps({"run": header, "results": results}, indent=2) + "\n")


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()
