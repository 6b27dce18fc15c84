package org.esm2j.cli;

import org.esm2j.ExitCode;
import org.esm2j.NumpyCheck;
import org.esm2j.TestData;
import org.esm2j.model.SafetensorsFile;
import org.esm2j.output.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.esm2j.cli.CliRunner.PROTEINS;
import static org.esm2j.cli.CliRunner.TINY;
import static org.esm2j.cli.CliRunner.embed;
import static org.esm2j.cli.CliRunner.embedStdin;
import static org.esm2j.cli.CliRunner.lines;
import static org.esm2j.cli.CliRunner.listing;
import static org.esm2j.cli.CliRunner.write;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** What {@code esm2j embed} leaves on disk: refusals, failures that leave nothing complete, ids, and npy = safetensors. */
class EmbedOutputTest {
    private static final int BAD_INPUT = ExitCode.BAD_INPUT.code();
    private static final int BAD_OUTPUT = ExitCode.BAD_OUTPUT.code();
    private static final String ALL_KINDS = "mean,per_tok,bos,logits,contacts";

    @TempDir
    Path tmp;

    private Path fasta(String name, String content) {
        return write(tmp.resolve(name), content);
    }

    /** Names that would make a dataset or file look finished. */
    private static void assertNothingLooksComplete(Path dir) {
        assertThat(listing(dir)).as("files in " + dir)
                .noneMatch(f -> f.equals(Manifest.FILE))
                .noneMatch(f -> f.endsWith(".npy"))
                .noneMatch(f -> f.endsWith(".safetensors"))
                .noneMatch(f -> f.equals("ids.txt"))
                .noneMatch(f -> f.contains(".partial"));
    }

    // ---- existing and unwritable outputs ----

    @Test
    void existingNpyOutputIsRefusedWithoutOverwriteAndReplacedWithIt() {
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", fasta("first.fa", ">first\nMKT\n").toString(), "-o", out.toString()).succeeds();
        Path second = fasta("second.fa", ">second\nMLS\n>third\nMA\n");
        embed("-m", TINY, "-i", second.toString(), "-o", out.toString()).fails(BAD_OUTPUT, out.toString(), "--overwrite");
        assertThat(lines(out.resolve("ids.txt"))).as("the refused run left the old dataset alone").containsExactly("first");
        embed("-m", TINY, "-i", second.toString(), "-o", out.toString(), "--overwrite").succeeds();
        assertThat(lines(out.resolve("ids.txt"))).containsExactly("second", "third");
        assertThat(Manifest.read(out.resolve(Manifest.FILE))).containsEntry("rows", 2);
    }

    @Test
    void overwriteRemovesArraysTheNewRunDoesNotWrite() {
        Path out = tmp.resolve("out");
        Path in = fasta("in.fa", ">a\nMKT\n");
        embed("-m", TINY, "-i", in.toString(), "-o", out.toString(), "--include", "mean,logits").succeeds();
        embed("-m", TINY, "-i", in.toString(), "-o", out.toString(), "--include", "mean", "--overwrite").succeeds();
        assertThat(listing(out)).containsExactlyInAnyOrder("ids.txt", "manifest.json", "mean.2.npy");
    }

    @Test
    void existingSafetensorsOutputIsRefusedWithoutOverwriteAndReplacedWithIt() throws IOException {
        Path out = tmp.resolve("emb.safetensors");
        Files.writeString(out, "precious");
        Path in = fasta("in.fa", ">a\nMKT\n");
        embed("-m", TINY, "-i", in.toString(), "-o", out.toString(), "--format", "safetensors").fails(BAD_OUTPUT, out.toString(), "--overwrite");
        assertThat(Files.readString(out)).isEqualTo("precious");
        embed("-m", TINY, "-i", in.toString(), "-o", out.toString(), "--format", "safetensors", "--overwrite").succeeds();
        assertThat(Files.size(out)).isGreaterThan(64 * 4);
    }

    @Test
    void directoryHoldingOtherFilesIsRefusedEvenWithOverwrite() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("results"));
        Files.writeString(out.resolve("thesis.tex"), "years of work");
        Path in = fasta("in.fa", ">a\nMKT\n");
        embed("-m", TINY, "-i", in.toString(), "-o", out.toString(), "--overwrite").fails(BAD_OUTPUT, out.toString(), "thesis.tex");
        assertThat(listing(out)).containsExactly("thesis.tex");
    }

    @Test
    void readOnlyOutputDirectoryIsRefusedBeforeAnyWork() throws IOException {
        Path parent = Files.createDirectories(tmp.resolve("locked"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(parent), "running as root: a read-only directory is still writable");
            Path in = fasta("in.fa", ">a\nMKT\n");
            embed("-m", TINY, "-i", in.toString(), "-o", parent.resolve("out").toString()).fails(BAD_OUTPUT, parent.toString(), "not writable");
            embed("-m", TINY, "-i", in.toString(), "-o", parent.resolve("e.safetensors").toString(), "--format", "safetensors")
                    .fails(BAD_OUTPUT, parent.toString(), "not writable");
        } finally {
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void outputUnderARegularFileIsRefused() throws IOException {
        // Unlike a chmod, this stops root too.
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path in = fasta("in.fa", ">a\nMKT\n");
        embed("-m", TINY, "-i", in.toString(), "-o", file.resolve("out").toString()).fails(BAD_OUTPUT, file.toString(), "cannot create output directory");
        embed("-m", TINY, "-i", in.toString(), "-o", file.toString()).fails(BAD_OUTPUT, file.toString(), "is a file");
    }

    // ---- failures leave nothing complete ----

    /** Enough records that results are written before the error, and a malformed last record (a header with nothing after it). */
    private static String fastaFailingAtTheEnd() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            s.append(">ok").append(i).append("\nMKTAYIAKQRQISFVKSHFSRQ\n");
        }
        return s.append(">broken\nMK\u0000T\n").toString();
    }

    @Test
    void failedRunFromStdinLeavesNoNpyDatasetThatLooksComplete() {
        Path out = tmp.resolve("out");
        embedStdin(fastaFailingAtTheEnd(), "-m", TINY, "-i", "-", "-o", out.toString(), "--include", ALL_KINDS)
                .fails(BAD_INPUT, "<stdin>:82:", "binary");
        assertNothingLooksComplete(out);
    }

    @Test
    void failedRunFromStdinLeavesNoSafetensorsFile() {
        Path out = tmp.resolve("emb.safetensors");
        embedStdin(fastaFailingAtTheEnd(), "-m", TINY, "-i", "-", "-o", out.toString(), "--format", "safetensors", "--include", ALL_KINDS)
                .fails(BAD_INPUT, "<stdin>:82:");
        assertNothingLooksComplete(tmp);
    }

    @Test
    void failedOverwriteKeepsThePreviousDatasetWhole() throws IOException {
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", fasta("good.fa", ">good\nMKT\n").toString(), "-o", out.toString()).succeeds();
        byte[] manifest = Files.readAllBytes(out.resolve(Manifest.FILE));
        byte[] mean = Files.readAllBytes(out.resolve("mean.2.npy"));
        embedStdin(fastaFailingAtTheEnd(), "-m", TINY, "-i", "-", "-o", out.toString(), "--overwrite").fails(BAD_INPUT, "<stdin>:82:");
        assertThat(listing(out)).containsExactlyInAnyOrder("ids.txt", "manifest.json", "mean.2.npy");
        assertThat(Files.readAllBytes(out.resolve(Manifest.FILE))).isEqualTo(manifest);
        assertThat(Files.readAllBytes(out.resolve("mean.2.npy"))).isEqualTo(mean);
        assertThat(lines(out.resolve("ids.txt"))).containsExactly("good");
    }

    // ---- duplicate ids ----

    private static final String WITH_DUPLICATES = ">a\nMKT\n>b\nMLS\n>a again\nMAA\n>c\nMCC\n>a third\nMDD\n";

    @Test
    void duplicateIdsInAFileAreListedBeforeAnyWork() {
        Path in = fasta("dup.fa", WITH_DUPLICATES);
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", in.toString(), "-o", out.toString()).fails(BAD_INPUT, in.toString(), "2 duplicate ids", "a (line 5)", "a (line 9)",
                "--duplicate-ids");
        assertThat(out).doesNotExist();
    }

    @Test
    void duplicateIdFromStdinStopsTheRunNamingItsLine() {
        Path out = tmp.resolve("out");
        embedStdin(WITH_DUPLICATES, "-m", TINY, "-i", "-", "-o", out.toString()).fails(BAD_INPUT, "<stdin>:5:", "duplicate id 'a'", "--duplicate-ids");
        assertNothingLooksComplete(out);
    }

    @Test
    void renameGivesEveryRepeatANumberedId() {
        Path out = tmp.resolve("out");
        embedStdin(WITH_DUPLICATES, "-m", TINY, "-i", "-", "-o", out.toString(), "--duplicate-ids", "rename").succeeds();
        assertThat(lines(out.resolve("ids.txt"))).containsExactly("a", "b", "a#2", "c", "a#3");
        Path fromFile = tmp.resolve("out-file");
        embed("-m", TINY, "-i", fasta("dup.fa", WITH_DUPLICATES).toString(), "-o", fromFile.toString(), "--duplicate-ids", "rename").succeeds();
        assertThat(lines(fromFile.resolve("ids.txt"))).containsExactly("a", "b", "a#2", "c", "a#3");
    }

    @Test
    void skipKeepsTheFirstOccurrence() {
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", fasta("dup.fa", WITH_DUPLICATES).toString(), "-o", out.toString(), "--duplicate-ids", "skip").succeeds();
        assertThat(lines(out.resolve("ids.txt"))).containsExactly("a", "b", "c");
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) Manifest.read(out.resolve(Manifest.FILE)).get("summary");
        assertThat(summary).containsEntry("skipped_duplicate", 2);
    }

    // ---- npy read back by numpy ----

    /** The command line's npy dataset, opened by numpy, against fair-esm's outputs for testdata/proteins.fasta. */
    private void assertNpyMatchesFairEsm(String dtype, double tolerance) throws IOException, InterruptedException {
        NumpyCheck.assumeAvailable();
        Path npy = tmp.resolve("npy-" + dtype);
        embed("-m", TINY, "-i", PROTEINS, "-o", npy.toString(), "--include", ALL_KINDS, "--repr-layers", "0", "1", "2",
                "--output-dtype", dtype).succeeds();
        Path expected = TestData.tiny().resolve("expected.safetensors");
        long referenceTensors;
        try (SafetensorsFile f = SafetensorsFile.open(expected)) {
            referenceTensors = f.tensors().keySet().stream().filter(k -> !k.endsWith(".tokens")).count();
        }
        assertThat(NumpyCheck.compare(npy, expected, dtype, tolerance, false)).isEqualTo(referenceTensors);
    }

    @Test
    void npyDatasetReadByNumpyMatchesFairEsmForEveryKind() throws IOException, InterruptedException {
        assertNpyMatchesFairEsm("float32", 1e-4);
    }

    @Test
    void float16NpyDatasetReadByNumpyMatchesFairEsmToHalfPrecision() throws IOException, InterruptedException {
        // float16 keeps 11 significant bits: a relative error of at most 2^-11 = 4.9e-4 per element.
        assertNpyMatchesFairEsm("float16", 1e-3);
    }
}
