package org.esm2j.cli;

import org.esm2j.ExitCode;
import org.esm2j.TestData;
import org.esm2j.model.SafetensorsFile;
import org.esm2j.model.TensorInfo;
import org.esm2j.output.Manifest;
import org.esm2j.output.PtFile;
import org.esm2j.output.TorchPtWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.esm2j.cli.CliRunner.PROTEINS;
import static org.esm2j.cli.CliRunner.TINY;
import static org.esm2j.cli.CliRunner.embed;
import static org.esm2j.cli.CliRunner.embedStdin;
import static org.esm2j.cli.CliRunner.listing;
import static org.esm2j.cli.CliRunner.write;

/**
 * {@code --format pt}: fair-esm's esm-extract output file for file, read back without PyTorch ({@link PtFile}) and
 * compared with the reference data (testdata/README.md: fair-esm's outputs, float64) at a relative L2 error of 1e-4.
 */
class PtOutputTest {
    private static final int USAGE = ExitCode.USAGE.code();
    private static final int BAD_INPUT = ExitCode.BAD_INPUT.code();
    private static final int BAD_OUTPUT = ExitCode.BAD_OUTPUT.code();

    @TempDir
    Path tmp;

    /** esm-extract's label of each record: the header line after '>', stripped (fair-esm's FastaBatchedDataset). */
    private static List<String> labels(Path fasta) throws IOException {
        List<String> labels = new ArrayList<>();
        for (String line : Files.readAllLines(fasta)) {
            if (line.startsWith(">")) {
                labels.add(line.substring(1).strip());
            }
        }
        return labels;
    }

    private static float[] floats(Object tensor) {
        return ((PtFile.Tensor) tensor).values();
    }

    private static long[] shape(Object tensor) {
        return ((PtFile.Tensor) tensor).shape();
    }

    private static Map<?, ?> dict(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<?, ?>) o;
    }

    private static List<Object> keys(Object dict) {
        return new ArrayList<Object>(dict(dict).keySet());
    }

    private static List<String> ptFiles(Path dir) {
        return listing(dir).stream().filter(f -> f.endsWith(".pt")).toList();
    }

    @Test
    void esmExtractCommandLineWritesWhatEsmExtractWritesAndItMatchesFairEsm() throws IOException {
        Path out = tmp.resolve("out");
        embed(TINY, PROTEINS, out.toString(), "--repr_layers", "0", "1", "-1", "--include", "mean", "per_tok", "bos", "contacts",
                "--format", "pt", "--nogpu").succeeds();
        List<String> labels = labels(Path.of(PROTEINS));
        assertThat(labels).as("the test data has a header with a description").contains("rare_letters some description here");
        assertThat(ptFiles(out)).as("one {label}.pt per record, named by the whole header")
                .containsExactlyInAnyOrderElementsOf(labels.stream().map(l -> l + ".pt").toList());
        assertThat(listing(out)).as("nothing else but esm2j's hidden record").hasSize(labels.size() + 1).contains(TorchPtWriter.STATE);

        int compared = 0;
        try (SafetensorsFile expected = SafetensorsFile.open(TestData.tiny().resolve("expected.safetensors"))) {
            for (String label : labels) {
                String id = label.split("\\s+")[0];
                Map<Object, Object> pt = PtFile.load(out.resolve(label + ".pt"));
                assertThat(new ArrayList<>(pt.keySet())).as(label + ": extract.py's keys, in its order")
                        .containsExactly("label", "representations", "mean_representations", "bos_representations", "contacts");
                assertThat(pt.get("label")).isEqualTo(label);
                for (var kind : List.of(List.of("representations", "per_tok"), List.of("mean_representations", "mean"),
                        List.of("bos_representations", "bos"))) {
                    Map<?, ?> byLayer = dict(pt.get(kind.get(0)));
                    assertThat(keys(byLayer)).as(label + " " + kind.get(0) + ": int layers, -1 resolved to 2")
                            .containsExactly(0L, 1L, 2L);
                    for (long layer = 0; layer <= 2; layer++) {
                        TensorInfo ref = expected.get(id + "." + kind.get(1) + "." + layer);
                        Object t = byLayer.get(layer);
                        assertThat(((PtFile.Tensor) t).storage()).isEqualTo("FloatStorage");
                        assertThat(shape(t)).as(label + " " + kind.get(0) + " " + layer).isEqualTo(ref.shape());
                        assertThat(TestData.relL2(floats(t), ref.toFloatArray())).as(label + " " + kind.get(0) + " " + layer).isLessThanOrEqualTo(1e-4);
                        compared++;
                    }
                }
                TensorInfo refContacts = expected.get(id + ".contacts");
                Object contacts = pt.get("contacts");
                long n = shape(dict(pt.get("representations")).get(0L))[0];
                assertThat(shape(contacts)).isEqualTo(new long[] {n, n});
                if (refContacts != null) { // the reference has contacts for n <= 300
                    assertThat(TestData.relL2(floats(contacts), refContacts.toFloatArray())).as(label + " contacts").isLessThanOrEqualTo(1e-4);
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(8 * 9);
        assertThat(shape(dict(PtFile.load(out.resolve("len1100_truncated.pt")).get("representations")).get(2L)))
                .as("per-token rows truncated as fair-esm truncates").isEqualTo(new long[] {1022, 64});
    }

    @Test
    void onlyWhatWasAskedForIsStoredAndLayersAreResolvedAsFairEsmResolvesThem() {
        Path out = tmp.resolve("out");
        embed(TINY, PROTEINS, out.toString(), "--repr_layers", "-1", "-3", "--include", "mean", "--format", "pt").succeeds();
        Map<Object, Object> pt = PtFile.load(out.resolve("single_residue.pt"));
        assertThat(new ArrayList<>(pt.keySet())).containsExactly("label", "mean_representations");
        assertThat(keys(pt.get("mean_representations"))).containsExactly(0L, 2L);
    }

    @Test
    void float16IsStoredAsHalfTensors() throws IOException {
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", PROTEINS, "-o", out.toString(), "--format", "pt", "--include", "mean", "logits", "--output-dtype", "float16").succeeds();
        try (SafetensorsFile expected = SafetensorsFile.open(TestData.tiny().resolve("expected.safetensors"))) {
            Map<Object, Object> pt = PtFile.load(out.resolve("UniRef50_A0A223SCH7.pt"));
            Object mean = dict(pt.get("mean_representations")).get(2L);
            assertThat(((PtFile.Tensor) mean).storage()).isEqualTo("HalfStorage");
            // float16 keeps 11 significant bits: a relative error of at most 2^-11 per element.
            assertThat(TestData.relL2(floats(mean), expected.get("UniRef50_A0A223SCH7.mean.2").toFloatArray())).isLessThanOrEqualTo(1e-3);
            Object logits = pt.get("logits");
            assertThat(shape(logits)).as("logits (esm2j only): every token, BOS and EOS included")
                    .isEqualTo(expected.get("UniRef50_A0A223SCH7.logits").shape());
            assertThat(TestData.relL2(floats(logits), expected.get("UniRef50_A0A223SCH7.logits").toFloatArray())).isLessThanOrEqualTo(1e-3);
        }
    }

    @Test
    void labelsWithASlashOrTooLongForAFileNameAreRefusedBeforeAnyWork() {
        Path out = tmp.resolve("out");
        Path slash = write(tmp.resolve("slash.fa"), ">ok\nMKT\n>sp|P1|X/Y kinase\nMLS\n");
        embed("-m", TINY, "-i", slash.toString(), "-o", out.toString(), "--format", "pt")
                .fails(BAD_INPUT, slash + ":3:", "'sp|P1|X/Y kinase'", "'/'", "--format npy");
        assertThat(out).as("refused before the output was touched").doesNotExist();
        Path longLabel = write(tmp.resolve("long.fa"), ">a " + "x".repeat(300) + "\nMKT\n");
        embed("-m", TINY, "-i", longLabel.toString(), "-o", out.toString(), "--format", "pt").fails(BAD_INPUT, longLabel + ":1:", "too long", "255");
        assertThat(out).doesNotExist();
        // npy keys by the first word, which may hold a '/'.
        embed("-m", TINY, "-i", slash.toString(), "-o", out.toString()).succeeds();
    }

    @Test
    void aSlashFromStandardInputStopsAtItsRecord() {
        Path out = tmp.resolve("out");
        embedStdin(">ok\nMKT\n>a/b\nMLS\n", "-m", TINY, "-i", "-", "-o", out.toString(), "--format", "pt").fails(BAD_INPUT, "'a/b'", "'/'");
        assertThat(ptFiles(out)).allMatch(f -> f.equals("ok.pt"));
    }

    @Test
    void labelsAreWholeHeadersSoRepeatsAreJudgedOnThem() {
        Path out = tmp.resolve("out");
        Path sameId = write(tmp.resolve("same-id.fa"), ">a first\nMKT\n>a second\nMLS\n");
        embed("-m", TINY, "-i", sameId.toString(), "-o", out.toString(), "--format", "pt").succeeds();
        assertThat(ptFiles(out)).containsExactlyInAnyOrder("a first.pt", "a second.pt");

        Path repeated = write(tmp.resolve("repeated.fa"), ">a x\nMKT\n>b\nMLS\n>a x\nMAA\n");
        Path out2 = tmp.resolve("out2");
        embed("-m", TINY, "-i", repeated.toString(), "-o", out2.toString(), "--format", "pt")
                .fails(BAD_INPUT, "1 duplicate label", "a x (line 5)", "--duplicate-ids");
        assertThat(out2).doesNotExist();
        embed("-m", TINY, "-i", repeated.toString(), "-o", out2.toString(), "--format", "pt", "--duplicate-ids", "rename").succeeds();
        assertThat(ptFiles(out2)).containsExactlyInAnyOrder("a x.pt", "b.pt", "a x#2.pt");
        assertThat(PtFile.load(out2.resolve("a x#2.pt")).get("label")).isEqualTo("a x#2");
    }

    @Test
    void aFinishedOutputIsNotWrittenAgainAndOtherSettingsAreRefused() throws IOException {
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", PROTEINS, "-o", out.toString(), "--format", "pt").succeeds();
        Path file = out.resolve("len300.pt");
        var modified = Files.getLastModifiedTime(file);
        assertThat(Manifest.read(out.resolve(TorchPtWriter.STATE))).containsEntry("complete", true).containsEntry("rows", 8);
        embed("-m", TINY, "-i", PROTEINS, "-o", out.toString(), "--format", "pt").succeeds();
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);

        embed("-m", TINY, "-i", PROTEINS, "-o", out.toString(), "--format", "pt", "--repr-layers", "1")
                .fails(BAD_OUTPUT, "other settings", "--repr-layers: earlier [2], now [1]", "--overwrite");
        embed("-m", TINY, "-i", PROTEINS, "-o", out.toString(), "--format", "pt", "--repr-layers", "1", "--overwrite").succeeds();
        assertThat(keys(PtFile.load(file).get("mean_representations"))).containsExactly(1L);
    }

    @Test
    void ptFilesEsm2jDidNotWriteAreRefusedUnlessOverwriteAndOtherFilesAlways() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("from-esm-extract.pt"), "not ours");
        Path in = write(tmp.resolve("in.fa"), ">a\nMKT\n");
        embed("-m", TINY, "-i", in.toString(), "-o", out.toString(), "--format", "pt").fails(BAD_OUTPUT, "1 .pt file that esm2j did not write", "--overwrite");
        assertThat(listing(out)).containsExactly("from-esm-extract.pt");
        embed("-m", TINY, "-i", in.toString(), "-o", out.toString(), "--format", "pt", "--overwrite").succeeds();
        assertThat(ptFiles(out)).containsExactly("a.pt");

        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        embed("-m", TINY, "-i", in.toString(), "-o", other.toString(), "--format", "pt", "--overwrite").fails(BAD_OUTPUT, "notes.txt");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        embed("-m", TINY, "-i", in.toString(), "-o", file.toString(), "--format", "pt").fails(BAD_OUTPUT, "is a file", "--format pt writes a directory");
    }

    @Test
    void anInterruptedRunResumesAfterItsWholePartsAndEndsAsAnUninterruptedOne() throws IOException {
        Path reference = tmp.resolve("reference");
        String[] options = {"--format", "pt", "--include", "mean", "per_tok", "--part-size", "3"};
        List<String> args = new ArrayList<>(List.of("-m", TINY, "-i", PROTEINS, "-o", reference.toString()));
        args.addAll(List.of(options));
        embed(args.toArray(String[]::new)).succeeds();

        // What a run killed while writing its 6th file leaves: the first 5 files, a temporary file, the record unfinished.
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        List<String> labels = labels(Path.of(PROTEINS));
        for (String label : labels.subList(0, 5)) {
            Files.copy(reference.resolve(label + ".pt"), out.resolve(label + ".pt"));
        }
        Map<String, Object> state = Manifest.read(reference.resolve(TorchPtWriter.STATE));
        state.put("complete", false);
        state.remove("summary");
        Manifest.write(out.resolve(TorchPtWriter.STATE), state);
        Files.writeString(out.resolve(".esm2j-5.partial"), "half a file");
        var keptFileTime = Files.getLastModifiedTime(out.resolve(labels.get(0) + ".pt"));

        args.set(5, out.toString());
        embed(args.toArray(String[]::new)).succeeds();
        assertThat(listing(out)).isEqualTo(listing(reference));
        for (String label : labels) {
            assertThat(Files.mismatch(out.resolve(label + ".pt"), reference.resolve(label + ".pt"))).as(label + ": first differing byte").isEqualTo(-1L);
        }
        assertThat(Files.getLastModifiedTime(out.resolve(labels.get(0) + ".pt"))).as("a file of a whole part is kept").isEqualTo(keptFileTime);
        Map<?, ?> summary = (Map<?, ?>) Manifest.read(out.resolve(TorchPtWriter.STATE)).get("summary");
        assertThat(summary.get("resumed_sequences")).as("the first whole part (3 sequences) is kept; the 4th and 5th files are rewritten").isEqualTo(3);
    }

    @Test
    void aResumedFileThatIsMissingOrCutShortIsReported() throws IOException {
        Path out = tmp.resolve("out");
        String[] args = {"-m", TINY, "-i", PROTEINS, "-o", out.toString(), "--format", "pt", "--include", "mean", "--part-size", "2"};
        embed(args).succeeds();
        Map<String, Object> state = Manifest.read(out.resolve(TorchPtWriter.STATE));
        state.put("complete", false);
        Manifest.write(out.resolve(TorchPtWriter.STATE), state);
        List<String> labels = labels(Path.of(PROTEINS));
        Path first = out.resolve(labels.get(0) + ".pt");
        byte[] whole = Files.readAllBytes(first);
        Files.write(first, java.util.Arrays.copyOf(whole, whole.length - 10));
        embed(args).fails(BAD_OUTPUT, first.toString(), "cut short", "--overwrite");
        Files.delete(first);
        embed(args).fails(BAD_OUTPUT, "sequence 0 is '" + labels.get(0) + "'", "missing", "--overwrite");
        embed(java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--overwrite")).toArray(String[]::new)).succeeds();
        assertThat(PtFile.load(first).get("label")).isEqualTo(labels.get(0));
    }

    @Test
    void dryRunShowsWhatAResumeWouldKeep() throws IOException {
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", PROTEINS, "-o", out.toString(), "--format", "pt", "--part-size", "2").succeeds();
        Map<String, Object> state = Manifest.read(out.resolve(TorchPtWriter.STATE));
        state.put("complete", false);
        Manifest.write(out.resolve(TorchPtWriter.STATE), state);
        Files.delete(out.resolve(labels(Path.of(PROTEINS)).get(7) + ".pt"));
        CliRunner.Result r = embed("-m", TINY, "-i", PROTEINS, "-o", out.toString(), "--format", "pt", "--part-size", "2", "--dry-run").succeeds();
        assertThat(r.out()).contains("3 finished parts (6 sequences) kept and skipped; 2 sequences remain");
    }

    @Test
    void mergeDoesNotWritePt() {
        CliRunner.run("merge", "-o", tmp.resolve("all").toString(), "--format", "pt", tmp.resolve("s0").toString())
                .fails(USAGE, "--format pt", "for every shard");
    }
}
