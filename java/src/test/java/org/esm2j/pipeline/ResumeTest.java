package org.esm2j.pipeline;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.TestData;
import org.esm2j.cli.Cli;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.input.DuplicateIds;
import org.esm2j.input.InvalidRecords;
import org.esm2j.model.EsmModel;
import org.esm2j.output.DatasetIdentity;
import org.esm2j.output.Datasets;
import org.esm2j.output.Manifest;
import org.esm2j.output.NpyDatasetWriter;
import org.esm2j.output.OutputDtype;
import org.esm2j.schedule.Batch;
import org.esm2j.schedule.BatchExecutor;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import org.esm2j.schedule.SingleDeviceExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resuming an interrupted npy run: finished parts are kept and not recomputed, the result equals an
 * uninterrupted run byte for byte, and work of a different job is refused rather than mixed in.
 * The interruption here is a device failure after a few windows (in-process); {@code KillResumeTest}
 * kills a real process.
 */
class ResumeTest {
    static final int SEQUENCES = 1500;
    static final int PART = 200;
    static final String[] OPTIONS = {"--include", "mean", "per_tok", "logits", "--repr-layers", "0", "-1", "--part-size", "" + PART};

    @TempDir
    Path tmp;
    Path fasta;

    @BeforeEach
    void input() throws IOException {
        fasta = Cli.fasta(tmp.resolve("in.fa"), SEQUENCES, 5, 30, 42);
    }

    /** Fails like a crashed device after {@code windows} windows have run. */
    static final class CrashingExecutor implements BatchExecutor {
        private final BatchExecutor delegate;
        private int windowsLeft;

        CrashingExecutor(BatchExecutor delegate, int windows) {
            this.delegate = delegate;
            this.windowsLeft = windows;
        }

        @Override
        public void execute(List<Batch> batches, OutputSpec spec, Consumer<SequenceEmbedding> sink) {
            if (windowsLeft-- == 0) {
                throw new Esm2jException(ExitCode.DEVICE_FAILURE, "simulated device failure");
            }
            delegate.execute(batches, spec, sink);
        }

        @Override
        public long tokenBudget() {
            return delegate.tokenBudget();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Runs what {@code esm2j embed -m tiny -i fasta -o out OPTIONS} runs, failing after {@code windows} windows. */
    static void crashAfter(Path out, Path fasta, int windows) {
        crashAfter(out, fasta, windows, "fp32");
    }

    /** {@code arithmetic}: what the crashed run's devices computed in, as its manifest records it. */
    static void crashAfter(Path out, Path fasta, int windows, String arithmetic) {
        try (EsmModel esm = EsmModel.load(TestData.tiny().toString())) {
            OutputSpec spec = OutputSpec.of(EnumSet.of(OutputKind.MEAN, OutputKind.PER_TOK, OutputKind.LOGITS), List.of(0, -1), esm.config().numLayers());
            DatasetIdentity identity = DatasetIdentity.of(esm.fingerprint(), esm.name(), spec, 1022, OutputDtype.FLOAT32, DuplicateIds.ERROR, InvalidRecords.SKIP, arithmetic, 0, 1,
                    fasta.toString());
            RunStats stats = new RunStats();
            var writer = new NpyDatasetWriter(out, spec, esm.config().hiddenSize(), OutputDtype.FLOAT32, Map.of("test", "crash"), identity, PART, false);
            EmbedOptions options = new EmbedOptions(fasta.toString(), spec, 1022, 4096, DuplicateIds.ERROR, 64L << 20);
            try (BatchExecutor executor = new CrashingExecutor(new SingleDeviceExecutor(new CpuDevice(esm.weights(), 2), 0, stats, RunListener.NONE), windows)) {
                assertThatThrownBy(() -> new EmbedRun(options, esm.config().hiddenSize(), executor, writer, stats, RunListener.NONE).run())
                        .hasMessageContaining("simulated device failure");
            }
        }
    }

    static int embed(Path out, Path fasta, String... extra) {
        String[] base = {"embed", "-q", "-m", TestData.tiny().toString(), "-i", fasta.toString(), "-o", out.toString()};
        String[] args = new String[base.length + OPTIONS.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(OPTIONS, 0, args, base.length, OPTIONS.length);
        System.arraycopy(extra, 0, args, base.length + OPTIONS.length, extra.length);
        return org.esm2j.cli.Main.run(args);
    }

    static Map<?, ?> summary(Path out) {
        return (Map<?, ?>) Manifest.read(out.resolve(Manifest.FILE)).get("summary");
    }

    @Test
    void resumedRunSkipsFinishedPartsAndEqualsAnUninterruptedOne() throws IOException {
        Path out = tmp.resolve("resumed");
        crashAfter(out, fasta, 3);
        assertThat(out.resolve(Manifest.FILE)).doesNotExist();
        assertThat(Datasets.finishedParts(out)).hasSize(3);
        assertThat(Datasets.partials(out)).isEmpty();
        byte[] firstPartIds = Files.readAllBytes(Datasets.finishedParts(out).getFirst().resolve("ids.txt"));

        assertThat(embed(out, fasta)).isZero();
        Path reference = tmp.resolve("reference");
        assertThat(embed(reference, fasta)).isZero();

        Datasets.assertSameData(out, reference);
        Map<?, ?> s = summary(out);
        assertThat(s.get("resumed_sequences")).isEqualTo(3 * PART);
        assertThat(s.get("sequences_written")).isEqualTo(SEQUENCES - 3 * PART);
        Map<?, ?> device = (Map<?, ?>) ((List<?>) s.get("devices")).getFirst();
        assertThat(device.get("sequences")).as("sequences the device computed on resume").isEqualTo(SEQUENCES - 3 * PART);
        assertThat(Datasets.ids(out)).doesNotHaveDuplicates().hasSize(SEQUENCES).startsWith("s0", "s1", "s2").endsWith("s" + (SEQUENCES - 1));
        assertThat(new String(firstPartIds)).startsWith("s0\ns1\n");
    }

    @Test
    void theSummaryOfAResumedRunCountsResumedAndNewSequences() {
        Path out = tmp.resolve("resumed");
        crashAfter(out, fasta, 3);
        String[] base = {"embed", "--progress", "none", "-m", TestData.tiny().toString(), "-i", fasta.toString(), "-o", out.toString()};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(OPTIONS)).toArray(String[]::new);
        try (org.esm2j.CapturedStderr err = new org.esm2j.CapturedStderr()) {
            assertThat(org.esm2j.cli.Main.run(args)).isZero();
            assertThat(err.text()).contains("summary: " + String.format("%,d", 3 * PART) + " resumed + " + String.format("%,d", SEQUENCES - 3 * PART)
                    + " new sequences written");
        }
    }

    @Test
    void resumedSequencesLeaveWhatTheRunExpectsSoThatProgressEndsAtItsTotal() {
        RunStats stats = new RunStats();
        stats.expect(10, 100);
        stats.resumed(new org.esm2j.tokens.Tokenizer(0).tokenize(0, "a", "MKTAYIAKQR"));
        assertThat(stats.expectedSequences()).isEqualTo(9);
        assertThat(stats.expectedResidues()).isEqualTo(90);
        assertThat(stats.resumedSequences()).isEqualTo(1);
    }

    @Test
    void workOfAnotherJobIsRefusedAndLeftAlone() throws IOException {
        Path out = tmp.resolve("out");
        crashAfter(out, fasta, 2);
        String progress = Files.readString(out.resolve("parts/progress.json"));

        String tiny = TestData.tiny().toString();
        // repeated list options add to the earlier values (picocli)
        assertRefused(out, tiny, fasta, "--repr-layers: earlier [0,2], now [0,1,2]", "--repr-layers", "1");
        assertRefused(out, tiny, fasta, "--include: earlier [\"mean\",\"per_tok\",\"logits\"], now [\"mean\",\"per_tok\",\"bos\",\"logits\"]",
                "--include", "bos");
        assertRefused(out, tiny, fasta, "--output-dtype: earlier \"float32\", now \"float16\"", "--output-dtype", "float16");
        assertRefused(out, tiny, fasta, "--truncation-seq-length: earlier 1022, now 20", "--truncation-seq-length", "20");
        assertRefused(out, tiny, fasta, "--duplicate-ids: earlier \"error\", now \"skip\"", "--duplicate-ids", "skip");
        assertRefused(out, tiny, fasta, "--shard: earlier 0/1, now 1/2", "--shard", "1/2");
        assertRefused(out, TestData.small().toString(), fasta, "model: earlier esm2-tiny-L2-E64-H4");
        Path changed = Cli.fasta(tmp.resolve("in.fa"), SEQUENCES + 1, 5, 30, 42);
        assertRefused(out, tiny, changed, "input: earlier");

        assertThat(Datasets.finishedParts(out)).hasSize(2);
        assertThat(Files.readString(out.resolve("parts/progress.json"))).isEqualTo(progress);
    }

    @Test
    void rowsOfAnotherArithmeticAreNotMixedIn() throws IOException {
        // A job requeued from a GPU node (bf16 under --dtype auto) onto a node where auto means the CPU (fp32).
        Path out = tmp.resolve("out");
        crashAfter(out, fasta, 2, "bf16");
        assertRefused(out, TestData.tiny().toString(), fasta, "arithmetic (--dtype, as the devices computed): earlier \"bf16\", now \"fp32\"",
                "--device", "auto", "--dtype", "auto");
        assertThat(Datasets.finishedParts(out)).hasSize(2);
    }

    private static void assertRefused(Path out, String model, Path fasta, String expected, String... args) {
        String[] base = {"embed", "-m", model, "-i", fasta.toString(), "-o", out.toString()};
        String[] all = new String[base.length + OPTIONS.length + args.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(OPTIONS, 0, all, base.length, OPTIONS.length);
        System.arraycopy(args, 0, all, base.length + OPTIONS.length, args.length);
        StringWriter err = new StringWriter();
        var cl = org.esm2j.cli.Main.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(all);
        assertThat(code).as(String.join(" ", args) + ": " + err).isEqualTo(ExitCode.BAD_OUTPUT.code());
        assertThat(err.toString()).contains("an interrupted run with other settings").contains(expected).contains("--overwrite");
    }

    @Test
    void aFinishedOutputIsNotComputedAgain() throws IOException {
        Path out = tmp.resolve("out");
        assertThat(embed(out, fasta)).isZero();
        byte[] manifest = Files.readAllBytes(out.resolve(Manifest.FILE));
        var modified = Files.getLastModifiedTime(out.resolve("mean.2.npy"));
        assertThat(embed(out, fasta)).isZero();
        assertThat(Files.readAllBytes(out.resolve(Manifest.FILE))).isEqualTo(manifest);
        assertThat(Files.getLastModifiedTime(out.resolve("mean.2.npy"))).isEqualTo(modified);
        assertThat(embed(out, fasta, "--repr-layers", "1")).as("a finished dataset of other settings").isEqualTo(ExitCode.BAD_OUTPUT.code());
    }

    @Test
    void overwriteStartsOver() throws IOException {
        Path out = tmp.resolve("out");
        crashAfter(out, fasta, 2);
        assertThat(embed(out, fasta, "--overwrite", "--repr-layers", "1")).isZero();
        assertThat(summary(out).get("resumed_sequences")).isEqualTo(0);
        Datasets.assertComplete(out);
        assertThat(Manifest.read(out.resolve(Manifest.FILE)).get("arrays").toString()).contains("mean.1");
    }

    @Test
    void aDamagedPartAndEverythingAfterItIsComputedAgain() throws IOException {
        Path out = tmp.resolve("out");
        crashAfter(out, fasta, 4);
        Path second = Datasets.finishedParts(out).get(1);
        try (var c = Files.newByteChannel(second.resolve("mean.2.npy"), StandardOpenOption.WRITE)) {
            c.truncate(c.size() - 4);
        }
        assertThat(embed(out, fasta)).isZero();
        assertThat(summary(out).get("resumed_sequences")).isEqualTo(PART);
        Path reference = tmp.resolve("reference");
        assertThat(embed(reference, fasta)).isZero();
        Datasets.assertSameData(out, reference);
    }

    @Test
    void aFailureBeforeTheFirstPartLeavesNothingToRefuse() throws IOException {
        Path out = tmp.resolve("out");
        crashAfter(out, fasta, 0);
        assertThat(out.resolve(NpyDatasetWriter.PARTS)).as("no part was finished").doesNotExist();
        assertThat(embed(out, fasta, "--repr-layers", "1")).isZero();
    }

    @Test
    void idsOfResumedRowsAreCheckedAgainstTheInput() throws IOException {
        Path out = tmp.resolve("out");
        crashAfter(out, fasta, 1);
        try (EsmModel esm = EsmModel.load(TestData.tiny().toString())) {
            OutputSpec spec = OutputSpec.of(EnumSet.of(OutputKind.MEAN, OutputKind.PER_TOK, OutputKind.LOGITS), List.of(0, -1), esm.config().numLayers());
            DatasetIdentity identity = DatasetIdentity.of(esm.fingerprint(), esm.name(), spec, 1022, OutputDtype.FLOAT32, DuplicateIds.ERROR, InvalidRecords.SKIP, "fp32", 0, 1,
                    fasta.toString());
            var writer = new NpyDatasetWriter(out, spec, esm.config().hiddenSize(), OutputDtype.FLOAT32, Map.of(), identity, PART, false);
            assertThat(writer.resumedRows()).isEqualTo(PART);
            writer.checkResumed(0, "s0");
            writer.checkResumed(1, "s1");
            assertThatThrownBy(() -> writer.checkResumed(2, "other"))
                    .isInstanceOf(Esm2jException.class).hasMessageContaining("sequence 2 was 's2'").hasMessageContaining("is 'other' now");
            writer.abort();
        }
    }
}
