package org.esm2j.pipeline;

import org.esm2j.ExitCode;
import org.esm2j.NumpyCheck;
import org.esm2j.TestData;
import org.esm2j.cli.Main;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.input.DuplicateIds;
import org.esm2j.input.InvalidRecords;
import org.esm2j.model.EsmModel;
import org.esm2j.output.DatasetIdentity;
import org.esm2j.output.Datasets;
import org.esm2j.output.Manifest;
import org.esm2j.output.NpyDatasetWriter;
import org.esm2j.output.OutputDtype;
import org.esm2j.schedule.BatchExecutor;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import org.esm2j.schedule.SingleDeviceExecutor;
import org.esm2j.tokens.LongSequences;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --long-sequences window} with what large jobs need: an interrupted run resumes into the same bytes as an
 * uninterrupted one, shards merge into the unsharded dataset, the safetensors output holds the npy one's numbers, and a
 * dataset of another long-sequence policy is refused rather than mixed in.
 */
class LongSequencesResumeTest {
    static final int PART = 3;
    static final String[] OPTIONS = {"--include", "mean", "per_tok", "logits", "--repr-layers", "0", "-1", "--truncation-seq-length", "100",
            "--long-sequences", "window", "--part-size", "" + PART};

    @TempDir
    static Path dir;
    static Path fasta;
    static Path reference;

    @BeforeAll
    static void input() throws IOException {
        Random random = new Random(5);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 14; i++) {
            int n = i % 3 == 1 ? 101 + random.nextInt(300) : 10 + random.nextInt(90);
            text.append(">p").append(i).append('\n');
            for (int j = 0; j < n; j++) {
                text.append("LAGVSERTIDPKQNFYMHWC".charAt(random.nextInt(20)));
            }
            text.append('\n');
        }
        fasta = Files.writeString(dir.resolve("in.fa"), text);
        reference = dir.resolve("reference");
        assertThat(embed(reference)).isZero();
    }

    static int embed(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("embed", "-q", "--threads", "2", "-m", TestData.tiny().toString(), "-i", fasta.toString(),
                "-o", out.toString()));
        args.addAll(List.of(OPTIONS));
        args.addAll(List.of(extra));
        return Main.run(args.toArray(String[]::new));
    }

    @Test
    void theReferenceCountsItsWindows() {
        Map<?, ?> summary = (Map<?, ?>) Manifest.read(reference.resolve(Manifest.FILE)).get("summary");
        assertThat(((Number) summary.get("windowed_sequences")).longValue()).isEqualTo(5);
        assertThat(((Number) summary.get("sequence_windows")).longValue()).isGreaterThan(10);
        assertThat(((Number) summary.get("truncated_sequences")).longValue()).isZero();
        Map<?, ?> options = (Map<?, ?>) Manifest.read(reference.resolve(Manifest.FILE)).get("options");
        assertThat(options.get("long_sequences")).isEqualTo("window");
        assertThat(((Number) options.get("window_stride")).longValue()).isEqualTo(50);
    }

    @Test
    void anInterruptedRunResumesIntoTheSameBytesAsAnUninterruptedOne() throws IOException {
        Path out = dir.resolve("resumed");
        try (EsmModel esm = EsmModel.load(TestData.tiny().toString())) {
            OutputSpec spec = OutputSpec.of(EnumSet.of(OutputKind.MEAN, OutputKind.PER_TOK, OutputKind.LOGITS), List.of(0, -1),
                    esm.config().numLayers());
            // The identity the command line gives a window run, so that the command below takes this run up again.
            DatasetIdentity identity = DatasetIdentity.of(esm.fingerprint(), esm.name(), spec, 100, OutputDtype.FLOAT32, DuplicateIds.ERROR,
                    InvalidRecords.SKIP, "fp32", 0, 1, fasta.toString()).withOption("long_sequences", "window").withOption("window_stride", 50);
            RunStats stats = new RunStats();
            var writer = new NpyDatasetWriter(out, spec, esm.config().hiddenSize(), OutputDtype.FLOAT32, Map.of("test", "crash"), identity, PART,
                    false);
            EmbedOptions options = new EmbedOptions(fasta.toString(), spec, 100, 4096, DuplicateIds.ERROR, 64L << 20)
                    .withLongSequences(LongSequences.WINDOW, 0);
            try (BatchExecutor executor = new ResumeTest.CrashingExecutor(new SingleDeviceExecutor(new CpuDevice(esm.weights(), 2), 0, stats,
                    RunListener.NONE), 3)) {
                assertThatThrownBy(() -> new EmbedRun(options, esm.config().hiddenSize(), executor, writer, stats, RunListener.NONE).run())
                        .hasMessageContaining("simulated device failure");
            }
        }
        assertThat(Datasets.finishedParts(out)).as("the parts before the failure").isNotEmpty();

        assertThat(embed(out)).isZero();
        Datasets.assertSameData(out, reference);
        Map<?, ?> summary = (Map<?, ?>) Manifest.read(out.resolve(Manifest.FILE)).get("summary");
        assertThat(((Number) summary.get("resumed_sequences")).longValue()).isPositive();
    }

    @Test
    void shardsMergeIntoTheUnshardedDataset() {
        List<String> merge = new ArrayList<>(List.of("merge", "-q", "-o", dir.resolve("merged").toString()));
        for (int k = 0; k < 2; k++) {
            Path shard = dir.resolve("shard-" + k);
            assertThat(embed(shard, "--shard", k + "/2")).isZero();
            merge.add(shard.toString());
        }
        assertThat(Main.run(merge.toArray(String[]::new))).isZero();
        try {
            Datasets.assertSameData(dir.resolve("merged"), reference);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theSafetensorsOutputHoldsTheNpyNumbers() throws Exception {
        NumpyCheck.assumeAvailable();
        Path file = dir.resolve("window.safetensors");
        assertThat(embed(file, "--format", "safetensors")).isZero();
        assertThat(NumpyCheck.compare(reference, file, "float32", 0, true)).isEqualTo(14 * 5);
    }

    @Test
    void aDatasetOfAnotherLongSequencePolicyIsRefused() {
        List<String> args = new ArrayList<>(List.of("embed", "-q", "-m", TestData.tiny().toString(), "-i", fasta.toString(), "-o",
                reference.toString(), "--include", "mean", "per_tok", "logits", "--repr-layers", "0", "-1", "--truncation-seq-length", "100",
                "--part-size", "" + PART));
        assertThat(Main.run(args.toArray(String[]::new))).isEqualTo(ExitCode.BAD_OUTPUT.code());
        args.addAll(List.of("--long-sequences", "window", "--window-stride", "25"));
        assertThat(Main.run(args.toArray(String[]::new))).isEqualTo(ExitCode.BAD_OUTPUT.code());
    }
}
