package org.esm2j.pipeline;

import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;
import org.esm2j.TestData;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.device.cpu.CpuEncoder;
import org.esm2j.input.DuplicateIds;
import org.esm2j.model.EsmModel;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import org.esm2j.schedule.SingleDeviceExecutor;
import org.esm2j.tokens.Alphabet;
import org.esm2j.tokens.TokenizedSequence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code esm2j verify}'s statistics against a device whose errors are known ({@link PerturbedDevice}), the CPU
 * compared with itself, the gate and the CPU time cap.
 */
class VerificationTest {
    private static final int SEQUENCES = 20;
    private static final Function<Parameter, String> LIBRARY_NAMES = Parameter::libraryName;
    private static EsmModel model;

    @TempDir
    static Path tmp;
    private static Path fasta;

    @BeforeAll
    static void load() throws IOException {
        model = EsmModel.load(TestData.tiny().toString());
        StringBuilder sb = new StringBuilder();
        String residues = "LAGVSERTIDPKQNFYMHWC";
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < SEQUENCES; i++) {
            sb.append(">s").append(i).append('\n');
            int n = 12 + r.nextInt(40);
            for (int j = 0; j < n; j++) {
                sb.append(residues.charAt(r.nextInt(residues.length())));
            }
            sb.append('\n');
        }
        fasta = Files.writeString(tmp.resolve("in.fasta"), sb);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static OutputSpec spec(OutputKind... kinds) {
        return OutputSpec.of(EnumSet.of(kinds[0], kinds), List.of(0, 2), 2);
    }

    private static Verification.Options options(OutputSpec spec, double maxCpuSeconds, double maxError, double minCosine) {
        return new Verification.Options(fasta.toString(), spec, 1022, DuplicateIds.ERROR, 64, 0, maxCpuSeconds, maxError, minCosine, 2, 4096);
    }

    private static VerificationReport verify(Verification.Options options, PerturbedDevice device) {
        Verification v = new Verification(options, model.weights(), "tiny");
        VerificationSample sample = v.drawSample();
        return v.run(sample, new SingleDeviceExecutor(device, 0, new RunStats(), RunListener.NONE),
                new Verification.DeviceUnderTest(device.id(), device.arithmetic(), false));
    }

    private static VerificationReport.Row row(VerificationReport report, OutputKind kind, int layer) {
        return report.rows().stream().filter(r -> r.kind() == kind && r.layer() == layer).findFirst().orElseThrow();
    }

    /** s0..s19 scaled by 1 + (i+1)/1000, except s3 whose first position is negated instead. */
    private static PerturbedDevice knownErrors() {
        PerturbedDevice device = new PerturbedDevice(new CpuDevice(model.weights(), 2));
        for (int i = 0; i < SEQUENCES; i++) {
            if (i != 3) {
                device.scale("s" + i, 1 + (i + 1) / 1000.0);
            }
        }
        return device.flipFirstPosition("s3");
    }

    @Test
    void theTableGivesTheDistributionOfKnownErrors() {
        VerificationReport report = verify(options(spec(OutputKind.MEAN, OutputKind.PER_TOK, OutputKind.BOS, OutputKind.LOGITS), 0,
                Double.NaN, Double.NaN), knownErrors());
        assertThat(report.verified()).isEqualTo(SEQUENCES);
        assertThat(report.rows()).extracting(VerificationReport.Row::label)
                .containsExactly("mean 0", "mean 2", "per_tok 0", "per_tok 2", "bos 0", "bos 2", "logits");

        // mean and BOS: the errors are 1e-3 .. 20e-3 without 4e-3 (s3's mean and BOS are untouched: 0).
        double[] errors = IntStream.rangeClosed(0, SEQUENCES).filter(k -> k != 4).mapToDouble(k -> k / 1000.0).toArray();
        for (OutputKind kind : List.of(OutputKind.MEAN, OutputKind.BOS)) {
            for (int layer : new int[] {0, 2}) {
                VerificationReport.Row r = row(report, kind, layer);
                assertThat(r.measures()).hasSize(SEQUENCES);
                assertThat(r.errorMedian()).as(r.label()).isCloseTo(numpyPercentile(errors, 50), within(1e-6));
                assertThat(r.errorP99()).as(r.label()).isCloseTo(numpyPercentile(errors, 99), within(1e-6));
                assertThat(r.worstError().relativeError()).isCloseTo(0.020, within(1e-6));
                assertThat(r.worstError().id()).isEqualTo("s19");
                assertThat(r.worstCosine().cosine()).as(r.label()).isGreaterThan(1 - 1e-9);
            }
        }
        // per-token and logits: s3's first position points the other way: its cosine is -1, its error 2·|row| / |array|.
        SequenceEmbedding cpu = cpuResult("s3", spec(OutputKind.PER_TOK, OutputKind.LOGITS));
        for (int slot = 0; slot < 2; slot++) {
            VerificationReport.Row r = row(report, OutputKind.PER_TOK, slot == 0 ? 0 : 2);
            assertThat(r.worstCosine().id()).isEqualTo("s3");
            assertThat(r.worstCosine().cosine()).isCloseTo(-1, within(1e-9));
            double expected = 2 * norm(cpu.perToken()[slot], 0, model.config().hiddenSize()) / norm(cpu.perToken()[slot], 0, cpu.perToken()[slot].length);
            VerificationReport.Measure s3 = r.measures().stream().filter(m -> m.id().equals("s3")).findFirst().orElseThrow();
            assertThat(s3.relativeError()).isCloseTo(expected, within(1e-6));
            assertThat(r.worstError().relativeError()).isCloseTo(Math.max(expected, r.measures().stream()
                    .filter(m -> !m.id().equals("s3")).mapToDouble(VerificationReport.Measure::relativeError).max().orElseThrow()), within(1e-6));
            // every other sequence's lowest position is still at cosine 1
            assertThat(r.cosineMedian()).isGreaterThan(1 - 1e-9);
        }
        VerificationReport.Row logits = row(report, OutputKind.LOGITS, -1);
        assertThat(logits.worstCosine().id()).isEqualTo("s3");
        assertThat(logits.worstCosine().cosine()).isCloseTo(-1, within(1e-9));
        assertThat(logits.measures().stream().filter(m -> m.id().equals("s3")).findFirst().orElseThrow().relativeError())
                .isCloseTo(2 * norm(cpu.logits(), 0, Alphabet.SIZE) / norm(cpu.logits(), 0, cpu.logits().length), within(1e-6));

        List<String> table = report.table(LIBRARY_NAMES);
        assertThat(table).anySatisfy(l -> assertThat(l).matches("mean +0 +20 +1\\.0[45]e-02 +1\\.9[78]e-02 +2\\.00e-02 +s19 +1(\\.000000)? .*"));
        assertThat(table).anySatisfy(l -> assertThat(l).matches("per_tok +2 +20 .* s3"));
        assertThat(report.failures()).isEmpty();
        assertThat(table).noneMatch(l -> l.startsWith("gate"));
    }

    @Test
    void theGateNamesEveryOutputPastItsBound() {
        VerificationReport report = verify(options(spec(OutputKind.MEAN, OutputKind.PER_TOK), 0, 0.015, 0.5), knownErrors());
        assertThat(report.passed()).isFalse();
        List<String> failures = report.failures().stream().map(f -> Parameter.render(f, LIBRARY_NAMES)).toList();
        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith("mean 0: relative L2 error 2.00e-02 (s19) is above maxRelativeError 0.015"));
        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith("mean 2: relative L2 error 2.00e-02 (s19)"));
        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith("per_tok 2: cosine similarity -1.000000 (s3) is below minCosine 0.5"));
        assertThat(failures).noneMatch(f -> f.startsWith("mean") && f.contains("cosine"));
        assertThat(report.table(LIBRARY_NAMES)).contains("gate: FAILED (maxRelativeError 0.015, minCosine 0.5)");

        VerificationReport loose = verify(options(spec(OutputKind.MEAN), 0, 0.0201, 0.99), knownErrors());
        assertThat(loose.failures()).isEmpty();
        assertThat(loose.table(LIBRARY_NAMES)).contains("gate: passed (maxRelativeError 0.0201, minCosine 0.99)");
        Map<String, Object> json = loose.toMap(LIBRARY_NAMES);
        assertThat(json.get("gate")).isEqualTo(Map.of("max_relative_error", 0.0201, "min_cosine", 0.99, "passed", true, "failures", List.of()));
    }

    @Test
    void theCpuAgainstItselfGivesZerosAndSaysSo() {
        Verification v = new Verification(options(spec(OutputKind.MEAN, OutputKind.PER_TOK, OutputKind.LOGITS), 0, 0, 1), model.weights(), "tiny");
        CpuDevice cpu = new CpuDevice(model.weights(), 2);
        VerificationReport report = v.run(v.drawSample(), new SingleDeviceExecutor(cpu, 64, new RunStats(), RunListener.NONE),
                new Verification.DeviceUnderTest("cpu", "fp32", true));
        assertThat(report.allExact()).isTrue();
        for (VerificationReport.Row r : report.rows()) {
            assertThat(r.worstError().relativeError()).isZero();
            assertThat(r.worstCosine().cosine()).isEqualTo(1.0);
        }
        assertThat(report.passed()).as("0 error passes a bound of 0").isTrue();
        assertThat(report.note()).contains("every error is expected to be 0");
        assertThat(report.toMap(LIBRARY_NAMES)).containsKey("note");
        assertThat(report.table(LIBRARY_NAMES)).anySatisfy(l -> assertThat(l).startsWith("  note       the device under test is the CPU encoder itself"));
    }

    @Test
    void whenTheDeviceIsTheCpuItsEncoderIsTheReferenceAndTheCapBoundsBothSides() {
        for (double cap : new double[] {0, 1e-6}) {
            Verification v = new Verification(options(spec(OutputKind.MEAN, OutputKind.BOS), cap, 0, 1), model.weights(), "tiny");
            CpuDevice cpu = new CpuDevice(model.weights(), 2);
            RunStats stats = new RunStats();
            VerificationReport report = v.run(v.drawSample(), new SingleDeviceExecutor(cpu, 64, stats, RunListener.NONE),
                    new Verification.DeviceUnderTest("cpu", "fp32", true), cpu.encoder());
            int expected = cap == 0 ? SEQUENCES : 1;
            assertThat(report.verified()).isEqualTo(expected);
            assertThat(stats.device(cpu.id(), cpu.description()).sequences()).as("sequences the device side ran").isEqualTo(expected);
            assertThat(report.allExact()).isTrue();
            assertThat(report.rows()).allSatisfy(r -> assertThat(r.measures()).hasSize(expected));
            assertThat(report.cpu().packing()).isZero();
        }
    }

    @Test
    void aCpuTimeCapVerifiesFewerSequencesAndSaysSo() {
        VerificationReport report = verify(options(spec(OutputKind.MEAN), 1e-6, Double.NaN, Double.NaN), knownErrors());
        // The timing probe always runs (the sequence of median length); nothing else fits in a microsecond.
        assertThat(report.verified()).isEqualTo(1);
        assertThat(report.leftOut()).isEqualTo(SEQUENCES - 1);
        assertThat(row(report, OutputKind.MEAN, 0).measures()).hasSize(1);
        assertThat(report.table(LIBRARY_NAMES)).anySatisfy(l -> assertThat(l).contains("19 more drawn but left out by maxCpuSeconds 0.000001"));
        @SuppressWarnings("unchecked")
        Map<String, Object> sample = (Map<String, Object>) report.toMap(LIBRARY_NAMES).get("sample");
        assertThat(sample).containsEntry("verified", 1).containsEntry("left_out_by_cpu_cap", SEQUENCES - 1);
    }

    @Test
    void badOptionsNameTheirParameter() {
        OutputSpec spec = spec(OutputKind.MEAN);
        assertThatThrownBy(() -> options(spec, -1, Double.NaN, Double.NaN))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo(Parameter.MAX_CPU_SECONDS));
        assertThatThrownBy(() -> options(spec, 0, -0.1, Double.NaN))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo(Parameter.MAX_RELATIVE_ERROR));
        assertThatThrownBy(() -> options(spec, 0, Double.NaN, 1.5))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo(Parameter.MIN_COSINE));
        assertThatThrownBy(() -> new Verification.Options(fasta.toString(), spec, 1022, DuplicateIds.ERROR, 0, 0, 0, Double.NaN, Double.NaN, 2, 4096))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo(Parameter.SAMPLE_SIZE));
    }

    @Test
    void percentilesInterpolateAsNumpyDoes() {
        double[] v = {1, 2, 3, 4};
        assertThat(VerificationReport.percentile(v, 50)).isEqualTo(2.5);
        assertThat(VerificationReport.percentile(v, 99)).isCloseTo(3.97, within(1e-12));
        assertThat(VerificationReport.percentile(v, 1)).isCloseTo(1.03, within(1e-12));
        assertThat(VerificationReport.percentile(new double[] {7}, 99)).isEqualTo(7);
        assertThat(VerificationReport.percentile(new double[] {1, Double.NaN}, 99)).isNaN();
    }

    private static SequenceEmbedding cpuResult(String id, OutputSpec spec) {
        VerificationSample sample = VerificationSample.draw(fasta.toString(), 1022, DuplicateIds.ERROR, 64, 0);
        TokenizedSequence seq = sample.sequences().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        try (CpuEncoder encoder = new CpuEncoder(model.weights(), 2)) {
            return encoder.encode(List.of(seq), spec).getFirst();
        }
    }

    private static double norm(float[] a, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) a[i] * a[i];
        }
        return Math.sqrt(s);
    }

    /** numpy.percentile's default (linear) method, written out independently of the code under test. */
    private static double numpyPercentile(double[] values, double p) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        double h = (s.length - 1) * p / 100;
        return s[(int) Math.floor(h)] + (h - Math.floor(h)) * (s[(int) Math.ceil(h)] - s[(int) Math.floor(h)]);
    }
}
