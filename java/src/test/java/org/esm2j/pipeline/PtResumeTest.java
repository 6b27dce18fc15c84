package org.esm2j.pipeline;

import org.esm2j.TestData;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.input.DuplicateIds;
import org.esm2j.input.InvalidRecords;
import org.esm2j.input.RecordKey;
import org.esm2j.model.EsmModel;
import org.esm2j.output.DatasetIdentity;
import org.esm2j.output.Manifest;
import org.esm2j.output.OutputDtype;
import org.esm2j.output.PtFile;
import org.esm2j.output.TorchPtWriter;
import org.esm2j.schedule.BatchExecutor;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import org.esm2j.schedule.SingleDeviceExecutor;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resuming an interrupted {@code --format pt} run: the crashed run leaves whole {@code .pt} files of the first
 * sequences and nothing half-written; the same command keeps the whole parts among them and ends with the files
 * an uninterrupted run writes, byte for byte.
 */
class PtResumeTest {
    static final int SEQUENCES = 120;
    static final int PART = 16;
    static final String[] OPTIONS = {"--format", "pt", "--include", "mean", "per_tok", "--repr-layers", "0", "-1", "--part-size", "" + PART};

    @TempDir
    Path tmp;

    /** Sequences whose headers carry descriptions, so that labels (whole headers) differ from ids. */
    private static List<String> writeFasta(Path file) throws IOException {
        Random r = new Random(5);
        StringBuilder sb = new StringBuilder();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < SEQUENCES; i++) {
            String label = "s" + i + " protein " + i + " [test]";
            labels.add(label);
            sb.append('>').append(label).append('\n');
            for (int j = 0, n = 5 + r.nextInt(30); j < n; j++) {
                sb.append("LAGVSERTIDPKQNFYMHWC".charAt(r.nextInt(20)));
            }
            sb.append('\n');
        }
        Files.writeString(file, sb);
        return labels;
    }

    private static int embed(Path out, Path fasta) {
        List<String> args = new ArrayList<>(List.of("embed", "-q", "--threads", "2", "-m", TestData.tiny().toString(), "-i", fasta.toString(),
                "-o", out.toString()));
        args.addAll(List.of(OPTIONS));
        return org.esm2j.cli.Main.run(args.toArray(String[]::new));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aCrashedRunLeavesWholeFilesOfTheFirstSequencesAndResumesToTheUninterruptedResult() throws IOException {
        Path fasta = tmp.resolve("in.fa");
        List<String> labels = writeFasta(fasta);
        Path out = tmp.resolve("out");
        try (EsmModel esm = EsmModel.load(TestData.tiny().toString())) {
            OutputSpec spec = OutputSpec.of(EnumSet.of(OutputKind.MEAN, OutputKind.PER_TOK), List.of(0, -1), esm.config().numLayers());
            DatasetIdentity identity = DatasetIdentity.of(esm.fingerprint(), esm.name(), spec, 1022, OutputDtype.FLOAT32, DuplicateIds.ERROR, InvalidRecords.SKIP, "fp32", 0, 1,
                    fasta.toString());
            RunStats stats = new RunStats();
            var writer = new TorchPtWriter(out, spec, esm.config().hiddenSize(), OutputDtype.FLOAT32, Map.of("test", "crash"), identity, PART, false);
            EmbedOptions options = new EmbedOptions(fasta.toString(), spec, 1022, 4096, DuplicateIds.ERROR, 64L << 20, ShardSpec.ALL, RecordKey.HEADER);
            try (BatchExecutor executor = new ResumeTest.CrashingExecutor(
                    new SingleDeviceExecutor(new CpuDevice(esm.weights(), 2), 0, stats, RunListener.NONE), 3)) {
                assertThatThrownBy(() -> new EmbedRun(options, esm.config().hiddenSize(), executor, writer, stats, RunListener.NONE).run())
                        .hasMessageContaining("simulated device failure");
            }
        }
        List<String> expected = new ArrayList<>(labels.subList(0, 3 * PART).stream().map(l -> l + ".pt").toList());
        expected.add(TorchPtWriter.STATE);
        assertThat(names(out)).as("the files of the first three windows, nothing half-written").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Manifest.read(out.resolve(TorchPtWriter.STATE))).containsEntry("complete", false);
        assertThat(PtFile.load(out.resolve(labels.get(3 * PART - 1) + ".pt")).get("label")).isEqualTo(labels.get(3 * PART - 1));
        Files.delete(out.resolve(labels.get(3 * PART - 1) + ".pt")); // as if killed before the last file of the third part

        assertThat(embed(out, fasta)).isZero();
        Path reference = tmp.resolve("reference");
        assertThat(embed(reference, fasta)).isZero();
        assertThat(names(out)).isEqualTo(names(reference)).hasSize(SEQUENCES + 1);
        for (String label : labels) {
            assertThat(Files.mismatch(out.resolve(label + ".pt"), reference.resolve(label + ".pt"))).as(label + ": first differing byte").isEqualTo(-1L);
        }
        Map<?, ?> summary = (Map<?, ?>) Manifest.read(out.resolve(TorchPtWriter.STATE)).get("summary");
        assertThat(summary.get("resumed_sequences")).as("two whole parts kept").isEqualTo(2 * PART);
        assertThat(summary.get("sequences_written")).isEqualTo(SEQUENCES - 2 * PART);
    }
}
