package org.esm2j.run;

import org.esm2j.cpu.CpuEncoder;
import org.esm2j.cuda.ComputeDtype;
import org.esm2j.model.EsmWeights;
import org.esm2j.model.OutputKind;
import org.esm2j.model.OutputSpec;
import org.esm2j.model.SequenceEmbedding;
import org.esm2j.model.TokenizedSequence;
import org.esm2j.model.Tokenizer;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The start-up check of a GPU against the exact CPU encoder: a few probe sequences through the model's first
 * layers on both, compared with the dtype's tolerance before the device gets any real work. A device whose
 * kernels compute something else (a wrong build, an unsupported card, a driver problem, a bug) is then refused
 * with the numbers, instead of writing wrong embeddings for hours.
 *
 * <p>The probes cover what the first layers exercise: a single residue, lengths on both sides of the attention
 * kernels' 32- and 64-key tiles, a {@code <mask>} (token dropout rescaling) and an unknown letter; two layers so
 * that the hand-over of the residual stream between layers is checked too. Representation 0 (embeddings) and the
 * layers' per-token and BOS outputs are compared by relative L2 error per sequence.
 */
public final class DeviceProbe {
    /** Layers run by the check (fewer when the model has fewer). */
    static final int LAYERS = 2;

    /**
     * Relative L2 error allowed per sequence and output after {@link #LAYERS} layers: FP32 must agree with the CPU
     * as closely as the parity tests ask (1e-4); BF16 and FP16 as closely as the CUDA issue's end-to-end tolerance
     * (2e-2), which two layers use only a fraction of.
     */
    static double tolerance(ComputeDtype dtype) {
        return dtype == ComputeDtype.FP32 ? 1e-4 : 2e-2;
    }

    /** What the check found: the worst error, where, and whether it is within the tolerance. */
    public record Result(boolean passed, double worstError, String worstAt, double tolerance, int layers, int sequences) {
        public String describe() {
            return String.format(Locale.ROOT, "%d probe sequences through %d layer%s: worst relative L2 error %.1e (%s), limit %.0e",
                    sequences, layers, layers == 1 ? "" : "s", worstError, worstAt, tolerance);
        }
    }

    private DeviceProbe() {
    }

    /** The probe sequences, the same every time. */
    static List<TokenizedSequence> probes() {
        Random random = new Random(0x65736d326aL);
        String residues = "LAGVSERTIDPKQNFYMHWC";
        int[] lengths = {1, 31, 33, 64, 65, 130};
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

    /** The spec of the check: per-token and BOS outputs of representations 0..layers. */
    static OutputSpec spec(int layers, int numLayers) {
        return OutputSpec.of(EnumSet.of(OutputKind.PER_TOK, OutputKind.BOS), IntStream.rangeClosed(0, layers).boxed().toList(), numLayers);
    }

    /** The CPU's answers to the probes: computed once, however many GPUs are then checked against them. */
    public record Expected(List<TokenizedSequence> probes, OutputSpec spec, int layers, List<SequenceEmbedding> results) {
    }

    /** Runs the probes through a CPU encoder of the model's first layers (packing only those layers' weights). */
    public static Expected expected(EsmWeights weights, int cpuThreads) {
        int numLayers = weights.config().numLayers();
        int layers = Math.min(LAYERS, numLayers);
        List<TokenizedSequence> probes = probes();
        OutputSpec spec = spec(layers, numLayers);
        try (CpuEncoder reference = CpuEncoder.firstLayers(weights, layers, cpuThreads)) {
            return new Expected(probes, spec, layers, reference.encode(probes, spec));
        }
    }

    /** Runs the check of {@code device} (computing in {@code dtype}) against the CPU's answers. */
    public static Result check(EncoderDevice device, Expected reference, ComputeDtype dtype) {
        List<TokenizedSequence> probes = reference.probes();
        OutputSpec spec = reference.spec();
        int layers = reference.layers();
        List<SequenceEmbedding> expected = reference.results();
        List<SequenceEmbedding> got = device.encode(probes, spec);
        if (got.size() != expected.size()) {
            return new Result(false, Double.POSITIVE_INFINITY, "the device returned " + got.size() + " results for " + expected.size()
                    + " sequences", tolerance(dtype), layers, probes.size());
        }
        double worst = 0;
        String worstAt = "none";
        for (int s = 0; s < expected.size(); s++) {
            for (int slot = 0; slot < spec.layerCount(); slot++) {
                String where = "sequence of " + probes.get(s).residues() + " residues, representation " + spec.layers()[slot];
                double perToken = relativeError(got.get(s).perToken()[slot], expected.get(s).perToken()[slot]);
                double bos = relativeError(got.get(s).bos()[slot], expected.get(s).bos()[slot]);
                // NaN compares false: make it the worst of all
                if (!(perToken <= worst)) {
                    worst = Double.isNaN(perToken) ? Double.POSITIVE_INFINITY : perToken;
                    worstAt = "per-token, " + where + (Double.isNaN(perToken) ? ", NaN" : "");
                }
                if (!(bos <= worst)) {
                    worst = Double.isNaN(bos) ? Double.POSITIVE_INFINITY : bos;
                    worstAt = "BOS, " + where + (Double.isNaN(bos) ? ", NaN" : "");
                }
            }
        }
        double limit = tolerance(dtype);
        return new Result(worst <= limit, worst, worstAt, limit, layers, probes.size());
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
