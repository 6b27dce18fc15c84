package org.esm2j.cli;

import org.esm2j.ExitCode;
import org.esm2j.ModelFixtures;
import org.esm2j.TestData;
import org.esm2j.model.SafetensorsFile;
import org.esm2j.model.TensorInfo;
import org.esm2j.output.Manifest;
import org.esm2j.tokens.TokenizedSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.esm2j.cli.CliRunner.PROTEINS;
import static org.esm2j.cli.CliRunner.TINY;
import static org.esm2j.cli.CliRunner.embed;
import static org.esm2j.cli.CliRunner.lines;
import static org.esm2j.cli.CliRunner.listing;
import static org.esm2j.cli.CliRunner.write;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@code esm2j embed} end to end: options, fair-esm spellings, exit codes and messages, results on disk. */
class EmbedCommandTest {
    private static final int USAGE = ExitCode.USAGE.code();
    private static final int BAD_INPUT = ExitCode.BAD_INPUT.code();
    private static final int BAD_MODEL = ExitCode.BAD_MODEL.code();
    private static final int BAD_OUTPUT = ExitCode.BAD_OUTPUT.code();

    @TempDir
    Path tmp;

    private Path fasta(String content) {
        return write(tmp.resolve("in-" + content.hashCode() + ".fasta"), content);
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- help and usage ----

    @Test
    void helpListsOptionsExitCodesAndExamples() {
        CliRunner.Result r = CliRunner.run("embed", "--help").succeeds();
        assertThat(r.out()).contains("--model", "--input", "--output", "--include", "--repr-layers", "--toks-per-batch",
                "--truncation-seq-length", "--overwrite", "--format", "--device");
        assertThat(r.out()).as("fair-esm spellings are documented").contains("--repr_layers", "--toks_per_batch", "--truncation_seq_length", "--nogpu");
        assertThat(r.out()).contains("Exit codes:", "Examples:", "esm2j embed");
        for (ExitCode code : java.util.EnumSet.complementOf(java.util.EnumSet.of(ExitCode.NETWORK))) {
            // The help wraps long meanings: their first words are enough to know the line is there.
            String start = String.join(" ", java.util.Arrays.stream(code.meaning().split(" ")).limit(3).toList());
            assertThat(r.out()).as("exit code %s listed", code).containsPattern("\\s" + code.code() + "\\s+" + java.util.regex.Pattern.quote(start));
        }
        assertThat(CliRunner.run("--help").succeeds().out()).contains("embed", "Exit codes:");
        assertThat(CliRunner.run("--version").succeeds().out()).startsWith("esm2j ").contains("Java");
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> usageErrors() {
        return Stream.of(
                arguments(List.of("--frobnicate"), List.of("--frobnicate", "--help")),
                arguments(List.of("--include", "mean", "embeddings"), List.of("unknown output 'embeddings'", "mean, per_tok, bos, logits, contacts")),
                arguments(List.of("--include", "mean,foo"), List.of("unknown output 'foo'")),
                arguments(List.of("--repr-layers", "3"), List.of("--repr-layers 3", "out of range", "0..2")),
                arguments(List.of("--repr-layers", "-4"), List.of("--repr-layers -4", "out of range", "-3..-1")),
                arguments(List.of("--repr_layers", "0", "7"), List.of("--repr-layers 7", "out of range")),
                arguments(List.of("--repr-layers", "last"), List.of("--repr-layers", "last")),
                arguments(List.of("--toks-per-batch", "-1"), List.of("--toks-per-batch", "-1")),
                arguments(List.of("--truncation-seq-length", "-5"), List.of("--truncation-seq-length", "-5")),
                arguments(List.of("--threads", "0"), List.of("--threads")),
                arguments(List.of("--device", "tpu"), List.of("--device tpu", "auto, cpu, cuda")),
                arguments(List.of("--format", "parquet"), List.of("--format", "parquet")),
                arguments(List.of("--duplicate-ids", "merge"), List.of("--duplicate-ids", "merge")));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void usageErrorsExitWithTwoAndNameTheOption(List<String> extra, List<String> fragments) {
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("-m", TINY, "-i", PROTEINS, "-o", out.toString()));
        args.addAll(extra);
        embed(args.toArray(String[]::new)).fails(USAGE, fragments.toArray(String[]::new));
        assertThat(out).as("a usage error writes nothing").doesNotExist();
    }

    @Test
    void missingRequiredOptionsAreListed() {
        embed("-m", TINY).fails(USAGE, "missing --input, --output");
        embed().fails(USAGE, "missing --model, --input, --output");
    }

    // ---- bad model and bad input ----

    @Test
    void missingModelExitsWithFourNamingThePath() {
        Path missing = tmp.resolve("no-model");
        embed("-m", missing.toString(), "-i", PROTEINS, "-o", tmp.resolve("out").toString()).fails(BAD_MODEL, missing.toString(), "no such directory");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void badFastaExitsWithThreeNamingFileAndLine() {
        Path bad = fasta(">a\nMKT\nstray text\n>\nMLS\n");
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", bad.toString(), "-o", out.toString()).fails(BAD_INPUT, bad + ":4:", "no id");
        assertThat(out).as("the pre-scan stops before any output").doesNotExist();
        Path missing = tmp.resolve("none.fasta");
        embed("-m", TINY, "-i", missing.toString(), "-o", out.toString()).fails(BAD_INPUT, missing.toString(), "not found");
    }

    @Test
    void emptySequenceIsSkippedAndTheRunSucceeds() {
        Path in = fasta(">a\nMKT\n>stop_only\n**\n>b\nMLS\n");
        Path out = tmp.resolve("out");
        CliRunner.Result r = embed("-m", TINY, "-i", in.toString(), "-o", out.toString()).succeeds();
        assertThat(r.out()).as("results go to files, never to stdout").isEmpty();
        assertThat(lines(out.resolve("ids.txt"))).containsExactly("a", "b");
    }

    // ---- fair-esm compatibility ----

    @Test
    void esmExtractSpellingsGiveTheSameFilesAsEsm2jSpellings() {
        Path extract = tmp.resolve("extract");
        Path esm2j = tmp.resolve("esm2j");
        embed(TINY, PROTEINS, extract.toString(), "--repr_layers", "0", "-1", "--include", "mean", "per_tok",
                "--toks_per_batch", "300", "--truncation_seq_length", "50", "--nogpu").succeeds();
        embed("-m", TINY, "-i", PROTEINS, "-o", esm2j.toString(), "--repr-layers", "0,2", "--include", "mean,per_tok",
                "--toks-per-batch", "300", "--truncation-seq-length", "50", "--device", "cpu").succeeds();
        List<String> files = listing(extract);
        assertThat(files).containsExactlyInAnyOrder("ids.txt", "manifest.json", "mean.0.npy", "mean.2.npy",
                "per_tok.0.npy", "per_tok.2.npy", "per_tok.offsets.npy");
        assertThat(listing(esm2j)).isEqualTo(files);
        Map<String, Object> extractManifest = Manifest.read(extract.resolve(Manifest.FILE));
        Map<String, Object> esm2jManifest = Manifest.read(esm2j.resolve(Manifest.FILE));
        assertThat(extractManifest.get("options")).as("options as understood").isEqualTo(esm2jManifest.get("options"));
        assertThat(extractManifest.get("options").toString()).contains("device=cpu", "truncation_seq_length=50", "repr_layers=[0, 2]");
        assertThat(tokenBudget(extractManifest)).isEqualTo(300).isEqualTo(tokenBudget(esm2jManifest));
        assertThat(bytes(extract.resolve("ids.txt"))).isEqualTo(bytes(esm2j.resolve("ids.txt")));
        assertThat(bytes(extract.resolve("per_tok.offsets.npy"))).isEqualTo(bytes(esm2j.resolve("per_tok.offsets.npy")));
        for (String f : List.of("mean.0.npy", "mean.2.npy", "per_tok.0.npy", "per_tok.2.npy")) {
            // Not bit-identical: the CPU encoder's last bits vary from run to run (see the foundation-tests report).
            assertThat(TestData.relL2(npyFloats(extract.resolve(f)), npyFloats(esm2j.resolve(f)))).as(f).isLessThan(1e-5);
        }
        // --truncation_seq_length 50 took effect: every sequence contributes at most 50 per-token rows.
        long expectedRows = ModelFixtures.proteins(0).stream().mapToLong(t -> Math.min(50, t.residues())).sum();
        assertThat(lastOffset(extract.resolve("per_tok.offsets.npy"))).isEqualTo(expectedRows);
    }

    @SuppressWarnings("unchecked")
    private static Object tokenBudget(Map<String, Object> manifest) {
        var devices = (List<Map<String, Object>>) ((Map<String, Object>) manifest.get("summary")).get("devices");
        return devices.getFirst().get("token_budget");
    }

    /** The float32 data of an .npy file written by esm2j (fixed 128-byte header). */
    private static float[] npyFloats(Path npy) {
        byte[] b = bytes(npy);
        assertThat(new String(b, 0, 128, java.nio.charset.StandardCharsets.US_ASCII)).contains("'descr': '<f4'");
        float[] out = new float[(b.length - 128) / 4];
        java.nio.ByteBuffer.wrap(b, 128, b.length - 128).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** The last int64 of a 1-D offsets .npy: the total row count. */
    private static long lastOffset(Path offsetsNpy) {
        byte[] b = bytes(offsetsNpy);
        return java.nio.ByteBuffer.wrap(b, b.length - 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void positionalArgumentsDoNotCombineWithTheirOptions() {
        embed(TINY, PROTEINS, "-m", TINY, "-o", tmp.resolve("o").toString()).fails(USAGE, "model given twice");
    }

    // ---- results ----

    @Test
    void safetensorsOutputMatchesFairEsmUnderTheReferenceNames() {
        Path out = tmp.resolve("emb.safetensors");
        embed("-m", TINY, "-i", PROTEINS, "-o", out.toString(), "--format", "safetensors",
                "--include", "mean", "per_tok", "bos", "logits", "contacts", "--repr-layers", "0", "1", "2").succeeds();
        try (SafetensorsFile expected = SafetensorsFile.open(TestData.tiny().resolve("expected.safetensors"));
             SafetensorsFile actual = SafetensorsFile.open(out)) {
            int compared = 0;
            for (var e : expected.tensors().entrySet()) {
                if (e.getKey().endsWith(".tokens")) {
                    continue;
                }
                TensorInfo got = actual.get(e.getKey());
                assertThat(got).as("tensor %s in the output", e.getKey()).isNotNull();
                assertThat(got.shape()).as(e.getKey() + " shape").isEqualTo(e.getValue().shape());
                assertThat(TestData.relL2(got.toFloatArray(), e.getValue().toFloatArray())).as(e.getKey()).isLessThanOrEqualTo(1e-4);
                compared++;
            }
            assertThat(compared).isGreaterThan(8 * 10);
            assertThat(actual.metadata()).containsKeys("format", "summary");
        }
        assertThat(listing(tmp)).as("no partial files left beside the output").containsExactly("emb.safetensors");
    }

    @Test
    void truncationZeroKeepsWholeSequencesAndRepeatedLayersCollapse() {
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", PROTEINS, "-o", out.toString(), "--include", "per_tok", "--repr-layers", "2", "-1",
                "--truncation-seq-length", "0").succeeds();
        assertThat(listing(out)).containsExactlyInAnyOrder("ids.txt", "manifest.json", "per_tok.2.npy", "per_tok.offsets.npy");
        long letters = ModelFixtures.proteins(0).stream().mapToLong(TokenizedSequence::residues).sum();
        assertThat(letters).as("the test data holds a sequence longer than the default limit").isGreaterThan(1100);
        assertThat(lastOffset(out.resolve("per_tok.offsets.npy"))).isEqualTo(letters);
    }

    @Test
    void cudaWithoutTheBackendExitsWithTheDeviceCode() {
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", PROTEINS, "-o", out.toString(), "--device", "cuda:0").fails(ExitCode.DEVICE_FAILURE.code(), "--device cuda:0", "--device cpu");
        assertThat(listing(out)).isEmpty();
    }

    @Test
    void outputsTheCheckpointCannotGiveAreRefused() {
        Path noHeads = ModelFixtures.tinyCopy(tmp.resolve("no-heads"),
                t -> t.keySet().removeIf(k -> k.startsWith("lm_head.") || k.contains("contact_head.")));
        Path out = tmp.resolve("out");
        embed("-m", noHeads.toString(), "-i", PROTEINS, "-o", out.toString(), "--include", "mean,logits").fails(BAD_MODEL, noHeads.toString(), "no LM head", "logits");
        embed("-m", noHeads.toString(), "-i", PROTEINS, "-o", out.toString(), "--include", "contacts").fails(BAD_MODEL, noHeads.toString(), "no contact head");
        embed("-m", noHeads.toString(), "-i", PROTEINS, "-o", out.toString(), "--include", "mean").succeeds();
    }
}
