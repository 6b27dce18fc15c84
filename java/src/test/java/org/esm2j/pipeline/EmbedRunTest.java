package org.esm2j.pipeline;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.TestData;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.input.DuplicateIds;
import org.esm2j.input.InvalidRecords;
import org.esm2j.input.RecordKey;
import org.esm2j.model.EsmModel;
import org.esm2j.output.EmbeddingWriter;
import org.esm2j.output.Manifest;
import org.esm2j.output.OutputDtype;
import org.esm2j.output.OutputFormat;
import org.esm2j.output.PtFile;
import org.esm2j.output.TorchPtWriter;
import org.esm2j.schedule.Batch;
import org.esm2j.schedule.BatchExecutor;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import org.esm2j.schedule.SingleDeviceExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The run pipeline: while it runs and after it fails, nothing at the output path looks complete. */
class EmbedRunTest {
    @TempDir
    Path tmp;

    private static List<String> listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean looksComplete(String name) {
        return name.equals("manifest.json") || name.endsWith(".npy") || name.endsWith(".safetensors") || name.equals("ids.txt");
    }

    @ParameterizedTest
    @EnumSource(value = OutputFormat.class, names = {"NPY", "SAFETENSORS"}) // pt: below
    void onlyPartialFilesExistWhileRunningAndNoneAfterAFailure(OutputFormat format) throws IOException {
        StringBuilder fasta = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            fasta.append(">s").append(i).append('\n').append("MKTAYIAKQRQISFVKSHFSRQ".repeat(1 + i % 3)).append('\n');
        }
        fasta.append(">broken\nMK7T\n");
        Path input = Files.writeString(tmp.resolve("in.fasta"), fasta);
        Path outDir = Files.createDirectories(tmp.resolve("out"));
        Path output = format == OutputFormat.NPY ? outDir.resolve("dataset") : outDir.resolve("emb.safetensors");
        Path watched = format == OutputFormat.NPY ? output : outDir;

        List<List<String>> snapshots = new ArrayList<>();
        List<Boolean> finished = new ArrayList<>();
        RunListener watcher = new RunListener() {
            @Override
            public void batchFinished(String deviceId, Batch batch, long nanos) {
                snapshots.add(listing(watched));
            }

            @Override
            public void finished(RunStats stats, boolean success) {
                finished.add(success);
            }
        };
        try (EsmModel model = EsmModel.load(TestData.tiny().toString())) {
            OutputSpec spec = OutputSpec.of(EnumSet.allOf(OutputKind.class), List.of(-1), 2);
            RunStats stats = new RunStats();
            // A one-byte window: every sequence is batched and written on its own, so data reaches disk before the error.
            EmbedOptions options = new EmbedOptions(input.toString(), spec, 1022, 4096, DuplicateIds.ERROR, 1, ShardSpec.ALL, RecordKey.ID,
                    InvalidRecords.ERROR);
            try (BatchExecutor executor = new SingleDeviceExecutor(new CpuDevice(model.weights(), 2), 0, stats, watcher)) {
                EmbeddingWriter writer = format.open(output, spec, 64, OutputDtype.FLOAT32, Map.of());
                EmbedRun run = new EmbedRun(options, 64, executor, writer, stats, watcher);
                assertThatThrownBy(run::run)
                        .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                        .hasMessageContainingAll(input + ":26: record 'broken' (line 25)", "'7'");
            }
            assertThat(stats.sequencesWritten()).as("sequences written before the error").isGreaterThanOrEqualTo(11);
        }
        assertThat(snapshots).hasSizeGreaterThanOrEqualTo(12);
        for (List<String> files : snapshots) {
            assertThat(files).as("while running").isNotEmpty().noneMatch(EmbedRunTest::looksComplete);
        }
        assertThat(finished).containsExactly(false);
        assertThat(listing(watched)).as("after the failure").noneMatch(EmbedRunTest::looksComplete).noneMatch(f -> f.contains(".partial"));
    }

    /**
     * pt writes one file per sequence, as esm-extract does: each {@code .pt} is whole whenever it can be seen (written
     * under a temporary name, then renamed), and the directory's record says unfinished until the run commits.
     */
    @Test
    void ptFilesAreWholeWhenTheyAppearAndTheDirectoryIsUnfinishedAfterAFailure() throws IOException {
        StringBuilder fasta = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            fasta.append(">s").append(i).append(" label ").append(i).append('\n').append("MKTAYIAKQRQISFVKSHFSRQ".repeat(1 + i % 3)).append('\n');
        }
        fasta.append(">broken\nMK7\n");
        Path input = Files.writeString(tmp.resolve("in.fasta"), fasta);
        Path output = tmp.resolve("out");
        List<String> seen = new ArrayList<>();
        RunListener watcher = new RunListener() {
            @Override
            public void batchFinished(String deviceId, Batch batch, long nanos) {
                for (String f : listing(output)) {
                    if (f.endsWith(".pt")) {
                        assertThat(PtFile.load(output.resolve(f)).get("label")).isEqualTo(f.substring(0, f.length() - 3));
                        seen.add(f);
                    } else {
                        assertThat(f).matches(TorchPtWriter.STATE + "|\\.esm2j-\\d+\\.partial");
                    }
                }
                assertThat(Manifest.read(output.resolve(TorchPtWriter.STATE))).containsEntry("complete", false);
            }
        };
        try (EsmModel model = EsmModel.load(TestData.tiny().toString())) {
            OutputSpec spec = OutputSpec.of(EnumSet.allOf(OutputKind.class), List.of(-1), 2);
            RunStats stats = new RunStats();
            EmbedOptions options = new EmbedOptions(input.toString(), spec, 1022, 4096, DuplicateIds.ERROR, 1, ShardSpec.ALL, RecordKey.HEADER,
                    InvalidRecords.ERROR);
            try (BatchExecutor executor = new SingleDeviceExecutor(new CpuDevice(model.weights(), 2), 0, stats, watcher)) {
                EmbeddingWriter writer = OutputFormat.PT.open(output, spec, 64, OutputDtype.FLOAT32, Map.of());
                assertThatThrownBy(new EmbedRun(options, 64, executor, writer, stats, watcher)::run).hasMessageContainingAll(input + ":26:", "'broken'");
            }
        }
        assertThat(seen).as("files appeared while running").isNotEmpty();
        assertThat(listing(output)).as("after the failure").hasSize(12 + 1).noneMatch(f -> f.contains(".partial")).contains("s11 label 11.pt");
        assertThat(Manifest.read(output.resolve(TorchPtWriter.STATE))).containsEntry("complete", false);
    }
}
