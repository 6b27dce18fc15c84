package org.esm2j.schedule;

import org.esm2j.device.EncoderDevice;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.device.cpu.CpuEncoder;
import org.esm2j.device.cuda.ComputeDtype;
import org.esm2j.model.EsmWeights;
import org.esm2j.tokens.TokenizedSequence;
import org.esm2j.tokens.Tokenizer;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The start-up check of a GPU against the exact CPU encoder: a few probe sequences through a shortened model on
 * both, compared with the dtype's limits before the device gets any real work. A device whose kernels compute
 * something else (a wrong build, an unsupported card, a driver problem, a bug) is then refused with the numbers,
 * instead of writing wrong embeddings for hours.
 *
 * <p><b>The shortened model</b> ({@link EsmWeights#firstLayers}) is the checkpoint's first two layers followed by
 * its final LayerNorm and LM head, built by each backend exactly as it builds a whole model: so every op a run
 * uses is checked (embedding and token dropout, both LayerNorms, attention, the FFN, the hand-over of the
 * residual stream between layers, {@code emb_layer_norm_after}, mean pooling, BOS, per-token copies and the LM
 * head), at the cost of two layers. The model's remaining layers run the same kernels with other weights.
 *
 * <p><b>The probes</b>: a single residue, lengths on both sides of the attention kernels' 32- and 64-key tiles,
 * a {@code <mask>} (token dropout rescaling), an unknown letter, and one of 1,000 residues (many key tiles, a
 * softmax over 1,002 keys, rotary angles at positions up to 1,001). Compared, per sequence, by relative L2 error:
 * per-token, mean and BOS at representation 0 (embeddings), after layer 1 (the raw residual stream) and after
 * the last layer (final LayerNorm), and the logits at every position.
 *
 * <p><b>Limits</b> ({@link #limit}): see there. FP32 must agree as closely as the parity tests ask; BF16 and FP16
 * are given a limit per output from what a correct device in that arithmetic measures against the CPU.
 *
 * <p><b>Cost.</b> The CPU's answers are computed once per run, however many GPUs are checked: it packs the two
 * layers and encodes 1,338 tokens through them, about 2 × 1,338 × the parameters of two layers in FLOPs (1.7e12 at
 * the 15B shape, 1.1e11 at 650M), the long probe three quarters of it. Measured on 2 cores (EPYC, AVX-512), warm:
 * 650M shape 0.8 s packing + 1.1 s encoding; 15B shape 1.8 s packing + 3.1 s for the six short probes + 10.0 s for
 * the long one (about 65 GFLOP/s per core). The encoding scales with cores: a few seconds on a GPU node's 8 to 16.
 */
public final class DeviceProbe {
    /** Layers of the shortened model (fewer when the model has fewer). */
    static final int LAYERS = 2;

    /** Residues of the long probe: about the 1,022 that fair-esm truncates to, and not a multiple of any tile. */
    static final int LONG_PROBE = 1000;

    /** Where an output sits in the shortened model: each has its own limit in BF16 and FP16. */
    enum Stage {
        /** Representation 0: the embedding table (stored in the compute dtype) and token dropout. */
        EMBEDDINGS("representation 0"),
        /** A representation between the first and the last layer: the raw residual stream. */
        HIDDEN("representation %d"),
        /** The last representation: after the final LayerNorm. */
        FINAL("representation %d (final LayerNorm)"),
        /** The LM head at every position. */
        LOGITS("logits");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        String label(int layer) {
            return String.format(Locale.ROOT, label, layer);
        }

        static Stage of(int layer, int layers) {
            return layer == 0 ? EMBEDDINGS : layer == layers ? FINAL : HIDDEN;
        }
    }

    /**
     * The relative L2 error allowed per sequence and output.
     *
     * <p>FP32: 1e-4 everywhere, what the parity tests ask of the CPU encoder against fair-esm's float64 (the GPU's
     * FP32 path, TF32 off, measured within 2e-6 of it end to end on an H200).
     *
     * <p>BF16 and FP16: from what a correct device in that arithmetic measures here. {@code RoundedEncoder} (tests)
     * is the CPU encoder's maths rounded to the compute dtype wherever {@code cuda/src/encode.cpp} stores in it;
     * run on these probes through the shortened model of random-weight checkpoints of five widths (the test
     * checkpoints, E=64 and 128, and the first two layers of the 650M, 3B and 15B shapes from
     * {@code bench/compare/checkpoint.py}), its worst errors against the CPU encoder, and PyTorch's own on the same
     * shortened models and probes (transformers {@code EsmForMaskedLM} cut to the same two layers, in the 16-bit
     * dtype, against float64; all widths but 15B), were (worst of per-token, mean and BOS; worst over the widths):
     * <pre>
     *                        esm2j BF16  PyTorch BF16  limit    esm2j FP16  PyTorch FP16  limit
     *   representation 0      1.9e-3       3.2e-3      3e-3      2.4e-4       4.0e-4      4e-4
     *   after layer 1         1.0e-2       4.6e-2      2.5e-2    2.1e-3       1.5e-3      3.5e-3
     *   final LayerNorm       1.1e-2       4.1e-2      2.5e-2    2.2e-3       1.8e-3      3.5e-3
     *   logits                1.4e-2       4.5e-2      3e-2      1.6e-3       2.0e-3      3.5e-3
     * </pre>
     * The worst cases are the small test checkpoints; at the 650M to 15B shapes esm2j's BF16 errors are at most
     * 1.5e-3, 2.8e-3, 3.5e-3 and 5.6e-3, PyTorch's 2.8e-3, 4.2e-3, 5.9e-3 and 8.3e-3. On every width and output
     * measured, the emulated esm2j BF16 is within PyTorch BF16's error on the same data (0.2 to 0.7 of it: esm2j
     * keeps the residual stream and the LayerNorms in FP32), the rule esm2j's BF16 is held to end to end.
     *
     * <p>Each limit is 1.6 to 2.4 times the emulated worst case: room for what the emulation does not share with a
     * GPU (summation orders, the flash kernel's online softmax, fast exp and erf). No BF16 limit is above PyTorch
     * BF16's own worst error on these probes, which is stricter than the whole-model parity limits' rule (1.5 times
     * PyTorch's error, {@code bench/gpu-check/TOLERANCES.md}): a device that passes meets that rule here. In FP16 the
     * emulation's error is already up to 1.35 times PyTorch FP16's (the E=64 checkpoint's layer-1 BOS), so that rule
     * would leave a correct device no room: the FP16 limits come from the emulation alone (1.6 to 2.2 times), and
     * are about the whole model's FP16 parity limits (2.0e-3 to 3.7e-3). Representation 0 has a single rounding (the
     * embedding table's), hence its tighter limits. A wrong kernel gives errors of order 1; what the 16-bit limits
     * cannot tell from rounding is an error of rounding's size, such as rotary frequencies recomputed instead of
     * read from the checkpoint (2.0e-2 on the long probe's logits in BF16 on the E=128 checkpoint), which FP32's
     * limit refuses. {@code DeviceProbeTest} keeps the emulated errors of the test checkpoints within two thirds of
     * these limits.
     */
    static double limit(ComputeDtype dtype, Stage stage) {
        if (dtype == ComputeDtype.FP32) {
            return 1e-4;
        }
        boolean bf16 = dtype == ComputeDtype.BF16;
        return switch (stage) {
            case EMBEDDINGS -> bf16 ? 3e-3 : 4e-4;
            case HIDDEN, FINAL -> bf16 ? 2.5e-2 : 3.5e-3;
            case LOGITS -> bf16 ? 3e-2 : 3.5e-3;
        };
    }

    /** What the check found: the worst error relative to its limit, where, and whether every output is within its limit. */
    public record Result(boolean passed, double worstError, String worstAt, double tolerance, int layers, int sequences) {
        public String describe() {
            return String.format(Locale.ROOT,
                    "%d probe sequences through %d layer%s, final LayerNorm and LM head: worst relative L2 error %.1e (%s), limit %.1e",
                    sequences, layers, layers == 1 ? "" : "s", worstError, worstAt, tolerance);
        }
    }

    private DeviceProbe() {
    }

    /** The probe sequences, the same every time. */
    static List<TokenizedSequence> probes() {
        Random random = new Random(0x65736d326aL);
        String residues = "LAGVSERTIDPKQNFYMHWC";
        int[] lengths = {1, 31, 33, 64, 65, 130, LONG_PROBE};
        Tokenizer tokenizer = new Tokenizer(0);
        List<TokenizedSequence> out = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < lengths[i]; j++) {
                sb.append(residues.charAt(random.nextInt(residues.length())));
            }
            if (lengths[i] == 33) {
                sb.replace(10, 11, "<mask>");
            } else if (lengths[i] == 65) {
                sb.setCharAt(20, 'J'); // an unknown letter: <unk>
            }
            out.add(tokenizer.tokenize(i, "probe-" + i, sb));
        }
        return out;
    }

    /** The model the check runs on both sides: the first {@link #LAYERS} layers, final LayerNorm and LM head. */
    public static EsmWeights shortened(EsmWeights weights) {
        return weights.firstLayers(Math.min(LAYERS, weights.config().numLayers()));
    }

    /** The spec of the check: mean, per-token and BOS of every representation of the shortened model, and logits. */
    static OutputSpec spec(EsmWeights shortened) {
        EnumSet<OutputKind> kinds = EnumSet.of(OutputKind.MEAN, OutputKind.PER_TOK, OutputKind.BOS);
        if (shortened.hasLmHead()) {
            kinds.add(OutputKind.LOGITS);
        }
        int layers = shortened.config().numLayers();
        return OutputSpec.of(kinds, IntStream.rangeClosed(0, layers).boxed().toList(), layers);
    }

    /**
     * The CPU's answers to the probes, computed once however many GPUs are then checked against them; and the
     * shortened model they came from, which each GPU is to load for its check.
     */
    public record Expected(EsmWeights model, List<TokenizedSequence> probes, OutputSpec spec, List<SequenceEmbedding> results) {
        public int layers() {
            return model.config().numLayers();
        }

        /** Tokens of the probes: a device's workspace for the check needs no more. */
        public long tokens() {
            return probes.stream().mapToLong(TokenizedSequence::length).sum();
        }
    }

    /** What the check runs, on the GPU and on the CPU alike: the shortened model, the probes and the outputs asked. */
    public record Probes(EsmWeights model, List<TokenizedSequence> sequences, OutputSpec spec) {
        /** Tokens of the probes: a device's workspace for the check needs no more. */
        public long tokens() {
            return sequences.stream().mapToLong(TokenizedSequence::length).sum();
        }
    }

    /** The check's probes through the shortened model of {@code weights} (nothing computed yet). */
    public static Probes probes(EsmWeights weights) {
        EsmWeights model = shortened(weights);
        return new Probes(model, probes(), spec(model));
    }

    /** Runs the probes through the CPU encoder of the shortened model (packing only its two layers' weights). */
    public static Expected expected(EsmWeights weights, int cpuThreads) {
        Probes p = probes(weights);
        try (CpuEncoder reference = new CpuEncoder(p.model(), cpuThreads)) {
            return new Expected(p.model(), p.sequences(), p.spec(), reference.encode(p.sequences(), p.spec()));
        }
    }

    /** Runs the check of {@code device} (computing in {@code dtype}, holding the shortened model) against the CPU's answers. */
    public static Result check(EncoderDevice device, Expected reference, ComputeDtype dtype) {
        return compare(device.encode(reference.probes(), reference.spec()), reference, dtype);
    }

    /**
     * Compares what a device computed for the probes ({@code got}, from the shortened model of {@link #probes(EsmWeights)},
     * in {@code dtype}) with the CPU's answers: the device may have run them before the answers were ready.
     */
    public static Result compare(List<SequenceEmbedding> got, Expected reference, ComputeDtype dtype) {
        List<TokenizedSequence> probes = reference.probes();
        OutputSpec spec = reference.spec();
        int layers = reference.layers();
        List<SequenceEmbedding> expected = reference.results();
        if (got.size() != expected.size()) {
            return new Result(false, Double.POSITIVE_INFINITY, "the device returned " + got.size() + " results for " + expected.size()
                    + " sequences", limit(dtype, Stage.FINAL), layers, probes.size());
        }
        Worst worst = new Worst();
        for (int s = 0; s < expected.size(); s++) {
            SequenceEmbedding e = expected.get(s);
            SequenceEmbedding g = got.get(s);
            String sequence = "sequence of " + probes.get(s).residues() + " residues";
            for (int slot = 0; slot < spec.layerCount(); slot++) {
                int layer = spec.layer(slot);
                Stage stage = Stage.of(layer, layers);
                double limit = limit(dtype, stage);
                String where = stage.label(layer) + ", " + sequence;
                worst.offer(relativeError(slot(g.perToken(), slot), e.perToken()[slot]), limit, "per-token, " + where);
                worst.offer(relativeError(slot(g.mean(), slot), e.mean()[slot]), limit, "mean, " + where);
                worst.offer(relativeError(slot(g.bos(), slot), e.bos()[slot]), limit, "BOS, " + where);
            }
            if (spec.has(OutputKind.LOGITS)) {
                worst.offer(relativeError(g.logits(), e.logits()), limit(dtype, Stage.LOGITS), "logits, " + sequence);
            }
        }
        return new Result(worst.ratio <= 1, worst.error, worst.at, worst.limit, layers, probes.size());
    }

    private static float[] slot(float[][] perLayer, int slot) {
        return perLayer == null || slot >= perLayer.length ? null : perLayer[slot];
    }

    /** The output furthest past (or least within) its limit; NaN is the worst of all. */
    private static final class Worst {
        double ratio = -1;
        double error;
        double limit;
        String at = "none";

        void offer(double err, double lim, String where) {
            boolean nan = Double.isNaN(err);
            double r = nan ? Double.POSITIVE_INFINITY : err / lim;
            if (r > ratio || (r == ratio && Double.isInfinite(r) && nan)) {
                ratio = r;
                error = nan ? Double.POSITIVE_INFINITY : err;
                limit = lim;
                at = where + (nan ? ", NaN" : "");
            }
        }
    }

    /** ||got - expected|| / ||expected||; infinite when the shapes differ or an array is missing. */
    static double relativeError(float[] got, float[] expected) {
        if (got == null || expected == null || got.length != expected.length) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < got.length; i++) {
            double d = (double) got[i] - expected[i];
            diff += d * d;
            norm += (double) expected[i] * expected[i];
        }
        return norm == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(diff / norm);
    }
}
