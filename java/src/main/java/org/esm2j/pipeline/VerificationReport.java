package org.esm2j.pipeline;

import org.esm2j.Parameter;
import org.esm2j.Units;
import org.esm2j.device.OutputKind;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.tokens.Alphabet;
import org.esm2j.tokens.TokenizedSequence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code esm2j verify} found: per output kind and layer, the distribution over the verified sequences of the
 * relative L2 error of the device's output against the CPU encoder's and of their cosine similarity; as a table
 * ({@link #table}) and as JSON-ready maps ({@link #toMap}), with the gate's verdict ({@link #failures()}).
 *
 * <p>Each sequence gives one value per kind and layer. Relative L2 error: {@code ||device - cpu|| / ||cpu||} over
 * the sequence's whole array (the vector for mean and BOS, [n, E] for per-token, [n + 2, 33] for logits, [n, n]
 * for contacts), as the parity limits of {@code bench/gpu-check/TOLERANCES.md} measure it. Cosine similarity: of
 * the vector for mean and BOS, of the flattened map for contacts, and for per-token and logits the lowest over the
 * sequence's positions (the residue whose vector turned the most). Percentiles interpolate linearly between ranks,
 * as {@code numpy.percentile} does: the 99th of 64 values lies between the largest two.
 *
 * @param model      the model's name
 * @param device     the device under test
 * @param options    what was asked (sample, cap, gate)
 * @param sample     the sample drawn
 * @param verified   sequences of the sample compared (fewer than drawn when the CPU's time cap cut it)
 * @param cpu        the CPU reference's times
 * @param rows       one per output kind and layer, kinds in {@link OutputKind} order, layers ascending
 */
public record VerificationReport(String model, Verification.DeviceUnderTest device, Verification.Options options,
                                 VerificationSample sample, int verified, CpuTimes cpu, List<Row> rows) {

    public VerificationReport {
        rows = List.copyOf(rows);
    }

    /**
     * @param threads   threads of the CPU encoder
     * @param packing   packing the weights
     * @param estimated the estimate logged before the CPU side ran (the timing probe included)
     * @param encoding  the CPU side's encoding time
     */
    public record CpuTimes(int threads, long packing, long estimated, long encoding) {
    }

    /** One sequence's comparison for one kind and layer. */
    public record Measure(String id, int residues, double relativeError, double cosine) {

        static Measure of(TokenizedSequence seq, OutputKind kind, int slot, SequenceEmbedding device, SequenceEmbedding cpu) {
            float[] got = array(device, kind, slot);
            float[] want = array(cpu, kind, slot);
            int row = switch (kind) {
                case PER_TOK -> (want == null || seq.residues() == 0) ? 0 : want.length / seq.residues();
                case LOGITS -> Alphabet.SIZE;
                default -> 0;
            };
            double cosine = row == 0 ? VerificationReport.cosine(got, want, 0, want == null ? 0 : want.length) : lowestRowCosine(got, want, row);
            return new Measure(seq.id(), seq.residues(), VerificationReport.relativeError(got, want), cosine);
        }

        private static float[] array(SequenceEmbedding e, OutputKind kind, int slot) {
            float[][] perLayer = switch (kind) {
                case MEAN -> e.mean();
                case BOS -> e.bos();
                case PER_TOK -> e.perToken();
                default -> null;
            };
            if (kind.perLayer()) {
                return perLayer == null || slot >= perLayer.length ? null : perLayer[slot];
            }
            return kind == OutputKind.LOGITS ? e.logits() : e.contacts();
        }
    }

    /** One kind and layer: every verified sequence's measure and their distribution. */
    public record Row(OutputKind kind, int layer, List<Measure> measures) {
        public Row {
            measures = List.copyOf(measures);
        }

        /** {@code mean 33}, {@code logits}. */
        public String label() {
            return kind.cliName() + (kind.perLayer() ? " " + layer : "");
        }

        public double errorMedian() {
            return percentile(sortedErrors(), 50);
        }

        public double errorP99() {
            return percentile(sortedErrors(), 99);
        }

        /** The sequence with the largest error (NaN counts as the largest). */
        public Measure worstError() {
            return measures.stream().max(Comparator.comparingDouble(Measure::relativeError)).orElseThrow();
        }

        public double cosineMedian() {
            return percentile(sortedCosines(), 50);
        }

        /** The 1st percentile: the low tail of the cosines. */
        public double cosineP1() {
            return percentile(sortedCosines(), 1);
        }

        /** The sequence with the lowest cosine (NaN counts as the lowest). */
        public Measure worstCosine() {
            return measures.stream().min(LOW_COSINE_FIRST).orElseThrow();
        }

        private double[] sortedErrors() {
            return measures.stream().mapToDouble(Measure::relativeError).sorted().toArray(); // NaN sorts last: the worst
        }

        private double[] sortedCosines() {
            return measures.stream().sorted(LOW_COSINE_FIRST).mapToDouble(Measure::cosine).toArray();
        }
    }

    /** Ascending cosine, NaN first (the worst). */
    private static final Comparator<Measure> LOW_COSINE_FIRST = (a, b) -> Double.isNaN(a.cosine()) || Double.isNaN(b.cosine())
            ? Boolean.compare(!Double.isNaN(a.cosine()), !Double.isNaN(b.cosine())) : Double.compare(a.cosine(), b.cosine());

    /** {@code numpy.percentile(values, p)} (linear interpolation) of sorted values; NaN where a neighbour is NaN. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double position = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(position);
        int hi = (int) Math.ceil(position);
        if (lo == hi || sorted[lo] == sorted[hi]) {
            return sorted[lo];
        }
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
    }

    /** ||got - want|| / ||want||: 0 when both are zero, infinite when only {@code want} is, or an array is missing or of another size. */
    static double relativeError(float[] got, float[] want) {
        if (got == null || want == null || got.length != want.length) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < got.length; i++) {
            double d = (double) got[i] - want[i];
            diff += d * d;
            norm += (double) want[i] * want[i];
        }
        return norm == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(diff / norm);
    }

    /** Cosine similarity of got[from, to) and want[from, to), clamped to [-1, 1]: 1 when both are zero, 0 when one is; NaN when an array is missing. */
    static double cosine(float[] got, float[] want, int from, int to) {
        if (got == null || want == null || got.length != want.length) {
            return Double.NaN;
        }
        double dot = 0;
        double ng = 0;
        double nw = 0;
        for (int i = from; i < to; i++) {
            dot += (double) got[i] * want[i];
            ng += (double) got[i] * got[i];
            nw += (double) want[i] * want[i];
        }
        if (ng == 0 || nw == 0) {
            return ng == nw ? 1 : 0;
        }
        return Math.max(-1, Math.min(1, dot / Math.sqrt(ng * nw)));
    }

    /** The lowest cosine over the rows of {@code width} values. */
    static double lowestRowCosine(float[] got, float[] want, int width) {
        if (got == null || want == null || got.length != want.length || want.length % width != 0) {
            return Double.NaN;
        }
        double lowest = 1;
        for (int from = 0; from < want.length; from += width) {
            double c = cosine(got, want, from, from + width);
            if (Double.isNaN(c) || c < lowest) {
                lowest = c;
            }
            if (Double.isNaN(lowest)) {
                return lowest;
            }
        }
        return lowest;
    }

    /** Whether every error is 0 and every cosine 1: what the CPU compared with itself must give. */
    public boolean allExact() {
        return rows.stream().flatMap(r -> r.measures().stream()).allMatch(m -> m.relativeError() == 0 && m.cosine() == 1);
    }

    /**
     * The gate's failures, one line each: a worst error above {@code maxRelativeError}, a worst cosine below
     * {@code minCosine}; parameters written {@code {name}} ({@link Parameter#render}).
     */
    public List<String> failures() {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            Measure e = r.worstError();
            if (!Double.isNaN(options.maxRelativeError()) && !(e.relativeError() <= options.maxRelativeError())) {
                out.add(String.format(Locale.ROOT, "%s: relative L2 error %s (%s) is above {maxRelativeError} %s", r.label(),
                        formatError(e.relativeError()), e.id(), Verification.plain(options.maxRelativeError())));
            }
            Measure c = r.worstCosine();
            if (!Double.isNaN(options.minCosine()) && !(c.cosine() >= options.minCosine())) {
                out.add(String.format(Locale.ROOT, "%s: cosine similarity %s (%s) is below {minCosine} %s", r.label(),
                        formatCosine(c.cosine()), c.id(), Verification.plain(options.minCosine())));
            }
        }
        return out;
    }

    public boolean passed() {
        return failures().isEmpty();
    }

    private boolean gated() {
        return !Double.isNaN(options.maxRelativeError()) || !Double.isNaN(options.minCosine());
    }

    /** Sequences of the sample the CPU's time cap left out. */
    public int leftOut() {
        return sample.count() - verified;
    }

    /** A note on what the numbers mean here, or null; parameters written {@code {name}}: the CPU compared with itself. */
    public String note() {
        if (!device.cpu()) {
            return null;
        }
        return "the device under test is the CPU encoder itself ({device} cpu, or no usable GPU): every error is expected to be 0"
                + " and every cosine 1. Run with {device} cuda on a GPU machine to measure a GPU.";
    }

    /** The report as text: a header, one line per kind and layer, a legend and the gate; parameters named by {@code name}. */
    public List<String> table(Function<Parameter, String> name) {
        List<String> out = new ArrayList<>();
        out.add("esm2j verify: " + model);
        out.add("  device     " + device.description() + ", " + device.arithmetic());
        out.add("  reference  the exact CPU encoder (fp32, " + cpu.threads() + " thread" + (cpu.threads() == 1 ? "" : "s")
                + "), one sequence at a time: " + Units.seconds(cpu.encoding()) + " (estimated " + Units.seconds(cpu.estimated()) + ")");
        out.add("  sample     " + verified + " sequence" + (verified == 1 ? "" : "s") + " of " + Units.exact(sample.kept())
                + (sample.whole() ? " (the whole input)" : " (seed " + sample.seed() + ", " + name.apply(Parameter.SAMPLE_SIZE) + " "
                        + options.sampleSize() + "; the " + sample.longest() + " longest included)")
                + ", " + Units.exact(sample.shortestResidues()) + " to " + Units.exact(sample.longestResidues()) + " residues"
                + (sample.truncated() > 0 ? " (" + sample.truncated() + " cut to " + options.truncation() + ")" : "")
                + (leftOut() > 0 ? "; " + leftOut() + " more drawn but left out by " + name.apply(Parameter.MAX_CPU_SECONDS) + " "
                + Verification.plain(options.maxCpuSeconds()) : ""));
        if (note() != null) {
            out.add("  note       " + Parameter.render(note(), name));
        }
        out.add("");
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"output", "layer", "seqs", "rel.L2 median", "p99", "worst", "worst id", "cosine median", "p1", "worst", "worst id"});
        for (Row r : rows) {
            Measure e = r.worstError();
            Measure c = r.worstCosine();
            cells.add(new String[] {r.kind().cliName(), r.kind().perLayer() ? Integer.toString(r.layer()) : "-", Integer.toString(r.measures().size()),
                    formatError(r.errorMedian()), formatError(r.errorP99()), formatError(e.relativeError()), e.relativeError() == 0 ? "-" : e.id(),
                    formatCosine(r.cosineMedian()), formatCosine(r.cosineP1()), formatCosine(c.cosine()), c.cosine() == 1 ? "-" : c.id()});
        }
        boolean[] left = {true, false, false, false, false, false, true, false, false, false, true};
        int[] widths = new int[left.length];
        for (String[] row : cells) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : cells) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                String pad = " ".repeat(widths[c] - row[c].length());
                b.append(c == 0 ? "" : "  ").append(left[c] ? row[c] + pad : pad + row[c]);
            }
            out.add(b.toString().stripTrailing());
        }
        out.add("");
        out.add("rel.L2 = |device - CPU| / |CPU| per sequence; cosine per sequence (per_tok, logits: its lowest position); "
                + "p99 and p1 as numpy.percentile.");
        if (gated()) {
            List<String> failures = failures();
            out.add(failures.isEmpty() ? "gate: passed (" + gateText(name) + ")" : "gate: FAILED (" + gateText(name) + ")");
            failures.forEach(f -> out.add("  " + Parameter.render(f, name)));
        }
        return out;
    }

    private String gateText(Function<Parameter, String> name) {
        List<String> parts = new ArrayList<>();
        if (!Double.isNaN(options.maxRelativeError())) {
            parts.add(name.apply(Parameter.MAX_RELATIVE_ERROR) + " " + Verification.plain(options.maxRelativeError()));
        }
        if (!Double.isNaN(options.minCosine())) {
            parts.add(name.apply(Parameter.MIN_COSINE) + " " + Verification.plain(options.minCosine()));
        }
        return String.join(", ", parts);
    }

    /** A relative error for the table: {@code 0}, {@code 3.14e-03}, {@code inf}, {@code NaN}. */
    static String formatError(double v) {
        return v == 0 ? "0" : Double.isFinite(v) ? String.format(Locale.ROOT, "%.2e", v) : Double.isNaN(v) ? "NaN" : "inf";
    }

    /** A cosine for the table: {@code 1}, {@code 0.999871}, {@code NaN}. */
    static String formatCosine(double v) {
        return v == 1 ? "1" : Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6f", v);
    }

    /**
     * The report as maps and lists of JSON values (non-finite numbers as the strings "NaN", "Infinity"); parameters
     * named by {@code name} in its notes.
     */
    public Map<String, Object> toMap(Function<Parameter, String> name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        Map<String, Object> dev = new LinkedHashMap<>();
        dev.put("description", device.description());
        dev.put("arithmetic", device.arithmetic());
        dev.put("is_cpu_reference", device.cpu());
        m.put("device", dev);
        m.put("reference", "cpu fp32 (exact), one sequence at a time");
        if (note() != null) {
            m.put("note", Parameter.render(note(), name));
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("size", options.sampleSize());
        s.put("seed", sample.seed());
        s.put("records", sample.records());
        s.put("sequences_in_input", sample.kept());
        s.put("drawn", sample.count());
        s.put("longest_included", sample.longest());
        s.put("verified", verified);
        s.put("left_out_by_cpu_cap", leftOut());
        s.put("residues_min", sample.shortestResidues());
        s.put("residues_max", sample.longestResidues());
        s.put("truncated", sample.truncated());
        s.put("truncation", options.truncation());
        m.put("sample", s);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("threads", cpu.threads());
        c.put("packing_seconds", cpu.packing() / 1e9);
        c.put("estimated_seconds", cpu.estimated() / 1e9);
        c.put("seconds", cpu.encoding() / 1e9);
        c.put("max_cpu_seconds", options.maxCpuSeconds() == 0 ? null : options.maxCpuSeconds());
        m.put("cpu", c);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("output", r.kind().cliName());
            row.put("layer", r.kind().perLayer() ? r.layer() : null);
            row.put("sequences", r.measures().size());
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("median", json(r.errorMedian()));
            err.put("p99", json(r.errorP99()));
            err.put("worst", json(r.worstError().relativeError()));
            err.put("worst_id", r.worstError().id());
            row.put("relative_l2", err);
            Map<String, Object> cos = new LinkedHashMap<>();
            cos.put("median", json(r.cosineMedian()));
            cos.put("p1", json(r.cosineP1()));
            cos.put("worst", json(r.worstCosine().cosine()));
            cos.put("worst_id", r.worstCosine().id());
            row.put("cosine", cos);
            List<Map<String, Object>> each = new ArrayList<>();
            for (Measure x : r.measures()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("id", x.id());
                one.put("residues", x.residues());
                one.put("relative_l2", json(x.relativeError()));
                one.put("cosine", json(x.cosine()));
                each.add(one);
            }
            row.put("per_sequence", each);
            results.add(row);
        }
        m.put("results", results);
        Map<String, Object> gate = new LinkedHashMap<>();
        gate.put("max_relative_error", Double.isNaN(options.maxRelativeError()) ? null : options.maxRelativeError());
        gate.put("min_cosine", Double.isNaN(options.minCosine()) ? null : options.minCosine());
        gate.put("passed", passed());
        gate.put("failures", failures().stream().map(f -> Parameter.render(f, name)).toList());
        m.put("gate", gate);
        return m;
    }

    private static Object json(double v) {
        return Double.isFinite(v) ? (Object) v : Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }
}
