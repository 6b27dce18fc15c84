package org.esm2j.pipeline;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.TestData;
import org.esm2j.device.EncoderDevice;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.device.cpu.CpuEncoder;
import org.esm2j.input.DuplicateIds;
import org.esm2j.model.EsmModel;
import org.esm2j.output.EmbeddingWriter;
import org.esm2j.schedule.BatchExecutor;
import org.esm2j.schedule.BatchSizer;
import org.esm2j.schedule.DeviceSelection;
import org.esm2j.schedule.DeviceScheduler;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import org.esm2j.schedule.SimulatedDevice;
import org.esm2j.tokens.Alphabet;
import org.esm2j.tokens.LongSequences;
import org.esm2j.tokens.TokenizedSequence;
import org.esm2j.tokens.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --long-sequences window} and {@code full} through the whole run (FASTA → windows → scheduler → writer), against the
 * exact CPU encoder run by hand: the windows embedded as separate sequences and averaged per residue by the rule, and the
 * untruncated protein.
 */
class LongSequencesTest {
    static final int LONG = 3000;
    static final double TOLERANCE = 1e-5;

    @TempDir
    static Path dir;
    static Path fasta;
    static EsmModel model;
    static OutputSpec spec;
    /** The proteins of the input, tokenized without truncation. */
    static Map<String, TokenizedSequence> proteins;

    @BeforeAll
    static void input() throws IOException {
        Random random = new Random(16);
        String[] ids = {"short1", "titin-ish", "short2"};
        int[] lengths = {37, LONG, 1022};
        StringBuilder text = new StringBuilder();
        proteins = new java.util.LinkedHashMap<>();
        Tokenizer whole = new Tokenizer(0);
        for (int i = 0; i < ids.length; i++) {
            StringBuilder seq = new StringBuilder();
            for (int j = 0; j < lengths[i]; j++) {
                seq.append("LAGVSERTIDPKQNFYMHWC".charAt(random.nextInt(20)));
            }
            text.append('>').append(ids[i]).append('\n').append(seq).append('\n');
            proteins.put(ids[i], whole.tokenize(i, ids[i], seq));
        }
        fasta = Files.writeString(dir.resolve("in.fa"), text);
        model = EsmModel.load(TestData.tiny().toString());
        int layers = model.config().numLayers();
        spec = OutputSpec.of(EnumSet.of(OutputKind.MEAN, OutputKind.PER_TOK, OutputKind.BOS, OutputKind.LOGITS),
                IntStream.rangeClosed(0, layers).boxed().toList(), layers);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aWindowedProteinEqualsItsWindowsEmbeddedSeparatelyAndAveragedPerResidue() {
        RunResult run = run(options(spec, LongSequences.WINDOW, 0), List.of(new CpuDevice(model.weights(), 2)));

        assertThat(run.written.stream().map(SequenceEmbedding::id)).containsExactly("short1", "titin-ish", "short2");
        TokenizedSequence titin = proteins.get("titin-ish");
        int[] starts = {0, 511, 1022, 1533, LONG - 1022}; // L = 1022, S = 511, and the window ending at the last residue
        List<TokenizedSequence> windows = new ArrayList<>();
        for (int s : starts) {
            int[] tokens = new int[1024];
            tokens[0] = Alphabet.CLS;
            System.arraycopy(titin.tokens(), 1 + s, tokens, 1, 1022);
            tokens[1023] = Alphabet.EOS;
            windows.add(new TokenizedSequence(windows.size(), "w" + s, tokens, 0, -1));
        }
        List<SequenceEmbedding> separate;
        try (CpuEncoder encoder = new CpuEncoder(model.weights(), 2)) {
            separate = encoder.encode(windows, spec);
        }
        SequenceEmbedding got = run.written.get(1);
        assertThat(got.residues()).isEqualTo(LONG);
        int hidden = model.config().hiddenSize();
        for (int slot = 0; slot < spec.layerCount(); slot++) {
            int l = slot;
            float[] perToken = averaged(starts, hidden, k -> separate.get(k).perToken()[l], 0);
            assertClose("per_tok layer " + spec.layer(slot), got.perToken()[slot], perToken);
            float[] mean = new float[hidden];
            for (int j = 0; j < hidden; j++) {
                double sum = 0;
                for (int i = 0; i < LONG; i++) {
                    sum += perToken[i * hidden + j];
                }
                mean[j] = (float) (sum / LONG);
            }
            assertClose("mean layer " + spec.layer(slot), got.mean()[slot], mean);
            assertThat(got.bos()[slot]).as("bos: the first window's").isEqualTo(separate.getFirst().bos()[slot]);
        }
        int v = Alphabet.SIZE;
        float[] logits = got.logits();
        assertThat(logits).hasSize((LONG + 2) * v);
        assertClose("logits of the residues", Arrays.copyOfRange(logits, v, (LONG + 1) * v), averaged(starts, v, k -> separate.get(k).logits(), 1));
        assertThat(Arrays.copyOfRange(logits, 0, v)).as("BOS logits: the first window's").isEqualTo(Arrays.copyOfRange(separate.getFirst().logits(), 0, v));
        assertThat(Arrays.copyOfRange(logits, (LONG + 1) * v, (LONG + 2) * v)).as("EOS logits: the last window's")
                .isEqualTo(Arrays.copyOfRange(separate.getLast().logits(), 1023 * v, 1024 * v));

        assertThat(run.stats.windowedSequences()).isEqualTo(1);
        assertThat(run.stats.sequenceWindows()).isEqualTo(5);
        assertThat(run.stats.truncated()).isZero();
        assertThat(run.stats.tokens()).isEqualTo(39 + 5 * 1024 + 1024);
        assertThat(run.written.get(2).residues()).as("a protein of exactly one window is not cut").isEqualTo(1022);
    }

    @Test
    void windowsSpreadOverFaultySimulatedDevicesGiveTheSameBitsAsOneCpu() {
        RunResult cpu = run(options(spec, LongSequences.WINDOW, 300), List.of(new CpuDevice(model.weights(), 1)));
        long mib = 1L << 20;
        RunResult sims = run(options(spec, LongSequences.WINDOW, 300), List.of(
                new SimulatedDevice(SimulatedDevice.Spec.of("sim:0", 64 * mib).withFaults(java.util.Set.of(1), 0, -1, 1).withTiming(0, true),
                        model.weights()),
                new SimulatedDevice(SimulatedDevice.Spec.of("sim:1", 64 * mib).withTiming(2000, false), model.weights())));

        assertThat(cpu.stats.sequenceWindows()).as("stride 300: windows at 0, 300, …, 1800 and 1978").isEqualTo(8);
        assertThat(sims.stats.devices().values().stream().filter(d -> d.sequences() > 0).count()).as("both devices ran windows").isEqualTo(2);
        for (int i = 0; i < cpu.written.size(); i++) {
            SequenceEmbedding a = sims.written.get(i);
            SequenceEmbedding x = cpu.written.get(i);
            assertThat(a.id()).isEqualTo(x.id());
            assertThat(Arrays.deepEquals(a.perToken(), x.perToken())).as(x.id() + " per-token").isTrue();
            assertThat(Arrays.deepEquals(a.mean(), x.mean())).as(x.id() + " mean").isTrue();
            assertThat(Arrays.equals(a.logits(), x.logits())).as(x.id() + " logits").isTrue();
        }
    }

    @Test
    void theLibraryApiWindowsLongProteinsAsTheRunDoes() {
        RunResult run = run(options(spec, LongSequences.WINDOW, 0), List.of(new CpuDevice(model.weights(), 2)));
        List<org.esm2j.api.Protein> input = new ArrayList<>();
        for (TokenizedSequence p : proteins.values()) {
            StringBuilder residues = new StringBuilder();
            for (int i = 1; i < p.length() - 1; i++) {
                residues.append(Alphabet.TOKENS.get(p.tokens()[i]));
            }
            input.add(new org.esm2j.api.Protein(p.id(), residues.toString()));
        }
        List<SequenceEmbedding> api;
        try (org.esm2j.api.Esm2j esm = org.esm2j.api.Esm2j.builder().model(TestData.tiny()).device("cpu").threads(2)
                .longSequences(LongSequences.WINDOW).build()) {
            api = esm.embed(input, spec);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(api.get(i).residues()).isEqualTo(run.written.get(i).residues());
            for (int slot = 0; slot < spec.layerCount(); slot++) {
                assertClose(api.get(i).id() + " per_tok", api.get(i).perToken()[slot], run.written.get(i).perToken()[slot]);
                assertClose(api.get(i).id() + " mean", api.get(i).mean()[slot], run.written.get(i).mean()[slot]);
            }
        }
        assertThat(api.get(1).residues()).isEqualTo(LONG);
        assertThatThrownBy(() -> org.esm2j.api.Esm2j.builder().model(TestData.tiny()).windowStride(7).build())
                .isInstanceOfSatisfying(org.esm2j.InvalidParameterException.class,
                        e -> assertThat(e.parameter()).isEqualTo(org.esm2j.Parameter.WINDOW_STRIDE));
    }

    @Test
    void fullOnTheCpuEqualsTheEncoderOnTheUntruncatedSequence() {
        RunResult run = run(options(spec, LongSequences.FULL, 0), List.of(new CpuDevice(model.weights(), 2)));

        List<SequenceEmbedding> expected;
        try (CpuEncoder encoder = new CpuEncoder(model.weights(), 2)) {
            expected = encoder.encode(List.copyOf(proteins.values()), spec);
        }
        assertThat(run.written).hasSize(3);
        assertThat(run.stats.truncated()).isZero();
        for (int i = 0; i < 3; i++) {
            SequenceEmbedding got = run.written.get(i);
            SequenceEmbedding want = expected.get(i);
            assertThat(got.residues()).isEqualTo(want.residues());
            for (int slot = 0; slot < spec.layerCount(); slot++) {
                assertClose(want.id() + " per_tok " + slot, got.perToken()[slot], want.perToken()[slot]);
                assertClose(want.id() + " mean " + slot, got.mean()[slot], want.mean()[slot]);
                assertClose(want.id() + " bos " + slot, got.bos()[slot], want.bos()[slot]);
            }
            assertClose(want.id() + " logits", got.logits(), want.logits());
        }
        assertThat(run.written.get(1).residues()).isEqualTo(LONG);
    }

    @Test
    void withDeviceAutoAProteinTooLongForTheGpusRunsOnTheCpuAndTheOthersStayOnTheGpus() {
        // 2 MiB at 1 KiB per token: one sequence of at most 2,048 tokens fits (the simulated device is exact).
        SimulatedDevice gpu = new SimulatedDevice(SimulatedDevice.Spec.of("sim:0", 2L << 20), model.weights());
        RunStats stats = new RunStats();
        List<SequenceEmbedding> written;
        try (BatchExecutor executor = new DeviceSelection("auto", null, 2, 4096, false).schedule(model, List.of(gpu), 2048, stats,
                RunListener.NONE)) {
            written = run(options(spec, LongSequences.FULL, 0), executor, stats);
        }

        assertThat(stats.devices().get("cpu").sequences()).as("the 3,000-residue protein, on the CPU").isEqualTo(1);
        assertThat(stats.devices().get("sim:0").sequences()).as("the others, on the GPU").isEqualTo(2);
        assertThat(gpu.realOoms()).as("nothing too long was tried on the GPU").isZero();
        List<SequenceEmbedding> expected;
        try (CpuEncoder encoder = new CpuEncoder(model.weights(), 2)) {
            expected = encoder.encode(List.copyOf(proteins.values()), spec);
        }
        assertThat(written.stream().map(SequenceEmbedding::id)).containsExactly("short1", "titin-ish", "short2");
        for (int i = 0; i < 3; i++) {
            for (int slot = 0; slot < spec.layerCount(); slot++) {
                assertClose(expected.get(i).id() + " per_tok", written.get(i).perToken()[slot], expected.get(i).perToken()[slot]);
                assertClose(expected.get(i).id() + " mean", written.get(i).mean()[slot], expected.get(i).mean()[slot]);
            }
        }
    }

    @Test
    void withDeviceCudaAProteinTooLongForEveryGpuIsRefusedWithItsLengthAndTheLongestThatFits() {
        SimulatedDevice gpu = new SimulatedDevice(SimulatedDevice.Spec.of("sim:0", 2L << 20), model.weights());
        RunStats stats = new RunStats();
        try (BatchExecutor executor = new DeviceSelection("cuda", null, 2, 4096, false).schedule(model, List.of(gpu), 2048, stats,
                RunListener.NONE)) {
            assertThatThrownBy(() -> run(options(spec, LongSequences.FULL, 0), executor, stats))
                    .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.DEVICE_FAILURE))
                    .hasMessageContaining("'titin-ish' has 3,000 residues, more than the 2,046 that fit alone in the memory of sim:0")
                    .hasMessageContaining("use longSequences window, device auto (sends it to the CPU) or device cpu");
        }
        assertThat(gpu.calls()).as("refused before any batch").isZero();
        assertThat(stats.devices()).doesNotContainKey("cpu");
    }

    @Test
    void contactsAreAveragedOverTheWindowsHoldingBothResiduesAndTheOthersAreZeroAndCounted() {
        OutputSpec contacts = new OutputSpec(EnumSet.of(OutputKind.CONTACTS), new int[0]);
        int length = 400;
        EmbedOptions options = new EmbedOptions(fasta.toString(), contacts, length, 4096, DuplicateIds.ERROR, 64L << 20)
                .withLongSequences(LongSequences.WINDOW, 0);
        RunResult run = run(options, List.of(new CpuDevice(model.weights(), 2)));

        TokenizedSequence titin = proteins.get("titin-ish");
        int[] starts = {0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000, 2200, 2400, 2600};
        assertThat(new org.esm2j.tokens.SequenceWindows(length, 200).starts(LONG)).isEqualTo(starts);
        List<TokenizedSequence> windows = new ArrayList<>();
        for (int s : starts) {
            int[] tokens = new int[length + 2];
            tokens[0] = Alphabet.CLS;
            System.arraycopy(titin.tokens(), 1 + s, tokens, 1, length);
            tokens[length + 1] = Alphabet.EOS;
            windows.add(new TokenizedSequence(windows.size(), "w" + s, tokens, 0, -1));
        }
        List<SequenceEmbedding> separate;
        try (CpuEncoder encoder = new CpuEncoder(model.weights(), 2)) {
            separate = encoder.encode(windows, contacts);
        }
        float[] got = run.written.get(1).contacts();
        assertThat(got).hasSize(LONG * LONG);
        long outside = 0;
        double worst = 0;
        for (int i = 0; i < LONG; i++) {
            for (int j = 0; j < LONG; j++) {
                double sum = 0;
                int count = 0;
                for (int k = 0; k < starts.length; k++) {
                    int s = starts[k];
                    if (i >= s && i < s + length && j >= s && j < s + length) {
                        sum += separate.get(k).contacts()[(i - s) * length + (j - s)];
                        count++;
                    }
                }
                if (count == 0) {
                    outside++;
                    assertThat(got[i * LONG + j]).isZero();
                } else {
                    worst = Math.max(worst, Math.abs(got[i * LONG + j] - sum / count));
                }
            }
        }
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
        assertThat(outside).isPositive();
        // short2 (1,022 residues) is cut too: windows at 0, 200, 400, 600 and 622
        long outsideShort2 = 0;
        for (int i = 0; i < 1022; i++) {
            for (int j = 0; j < 1022; j++) {
                int lo = Math.min(i, j);
                int hi = Math.max(i, j);
                if (java.util.stream.IntStream.of(0, 200, 400, 600, 622).noneMatch(s -> lo >= s && hi < s + length)) {
                    outsideShort2++;
                }
            }
        }
        assertThat(outsideShort2).isPositive();
        assertThat(run.stats.contactPairsOutsideWindows()).isEqualTo(outside + outsideShort2);
        assertThat(run.written.get(2).contacts()).as("short2 (1,022 residues) is cut too, at 400").hasSize(1022 * 1022);
    }

    /** Residue rows of {@code width} floats, each the mean of the windows that hold the residue (rowOffset: rows before the first residue). */
    private static float[] averaged(int[] starts, int width, java.util.function.IntFunction<float[]> rows, int rowOffset) {
        double[] sum = new double[LONG * width];
        int[] count = new int[LONG];
        for (int k = 0; k < starts.length; k++) {
            float[] w = rows.apply(k);
            for (int a = 0; a < 1022; a++) {
                int i = starts[k] + a;
                count[i]++;
                for (int j = 0; j < width; j++) {
                    sum[i * width + j] += w[(a + rowOffset) * width + j];
                }
            }
        }
        float[] out = new float[LONG * width];
        for (int i = 0; i < LONG; i++) {
            assertThat(count[i]).as("residue " + i + " is covered").isPositive();
            for (int j = 0; j < width; j++) {
                out[i * width + j] = (float) (sum[i * width + j] / count[i]);
            }
        }
        return out;
    }

    private static void assertClose(String what, float[] actual, float[] expected) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        assertThat(worst).as(what + ": worst difference at " + at).isLessThanOrEqualTo(TOLERANCE);
    }

    private static EmbedOptions options(OutputSpec outputs, LongSequences policy, int stride) {
        return new EmbedOptions(fasta.toString(), outputs, Tokenizer.DEFAULT_TRUNCATION, 4096, DuplicateIds.ERROR, 64L << 20)
                .withLongSequences(policy, stride);
    }

    record RunResult(List<SequenceEmbedding> written, RunStats stats) {
    }

    private static RunResult run(EmbedOptions options, List<? extends EncoderDevice> devices) {
        RunStats stats = new RunStats();
        try (DeviceScheduler scheduler = new DeviceScheduler(devices,
                new DeviceScheduler.Options(3000, 4096, null, "tiny", new BatchSizer(), Duration.ofMillis(50), 0.02), stats, RunListener.NONE)) {
            return new RunResult(run(options, scheduler, stats), stats);
        }
    }

    private static List<SequenceEmbedding> run(EmbedOptions options, BatchExecutor executor, RunStats stats) {
        List<SequenceEmbedding> written = new ArrayList<>();
        EmbeddingWriter writer = new EmbeddingWriter() {
            @Override
            public void write(SequenceEmbedding e) {
                written.add(e);
            }

            @Override
            public void commit(Map<String, Object> summary) {
            }

            @Override
            public void abort() {
            }
        };
        new EmbedRun(options, model.config().hiddenSize(), executor, writer, stats, RunListener.NONE).run();
        return written;
    }
}
