package org.esm2j.cli;

import org.esm2j.CapturedStderr;
import org.esm2j.ExitCode;
import org.esm2j.output.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.esm2j.cli.CliRunner.TINY;
import static org.esm2j.cli.CliRunner.lines;
import static org.esm2j.cli.CliRunner.write;

/**
 * Input a new user really has: empty records, GenBank pastes with digits, an empty file. Each is reported with its
 * id and line, the run goes on, and the summary and manifest count what happened.
 */
class InputEdgesTest {
    private static final String EMPTY_RECORDS = ">a\nMKTAYI\n>e1\n>e2\n\n>b\nMLS\n>e3\n   \t\n>c\nMKV\n>e4\n";
    private static final String GENBANK_PASTE = ">a\nMKTAYI\n>gb pasted from GenBank\n        1 mktayiakqr qisfvkshfs\n       21 rq\n>c\nMJKV\n>d\nMLS\n";

    @TempDir
    Path tmp;
    private CapturedStderr captured;

    @BeforeEach
    void captureStderr() {
        captured = new CapturedStderr();
    }

    @AfterEach
    void restore() {
        captured.close();
    }

    /** {@code esm2j embed --threads 2 args...} at the default log level (warnings and the summary), stderr captured. */
    private CliRunner.Result embed(String... args) {
        List<String> all = new ArrayList<>(List.of("embed", "--threads", "2", "--progress", "none"));
        all.addAll(Arrays.asList(args));
        CliRunner.Result r = CliRunner.run(all.toArray(String[]::new));
        return new CliRunner.Result(r.exitCode(), r.out(), captured.text() + r.err());
    }

    private CliRunner.Result embedStdin(String fasta, String... args) {
        java.io.InputStream saved = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(fasta.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return embed(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void emptyRecordsAreReportedWithIdAndLineAndSkipped() {
        Path in = write(tmp.resolve("in.fa"), EMPTY_RECORDS);
        Path out = tmp.resolve("out");
        CliRunner.Result r = embed("-m", TINY, "-i", in.toString(), "-o", out.toString()).succeeds();
        assertThat(lines(out.resolve("ids.txt"))).containsExactly("a", "b", "c");
        assertThat(r.err()).contains(in + ":3: record 'e1' has no residues", in + ":4: record 'e2'", in + ":8: record 'e3'",
                in + ":12: record 'e4'", "records skipped: 4 (4 empty");
        assertThat(summary(out)).containsEntry("skipped_empty", 4);
    }

    @Test
    void emptyRecordsFromStandardInputAreSkippedToo() {
        Path out = tmp.resolve("out");
        CliRunner.Result r = embedStdin(EMPTY_RECORDS, "-m", TINY, "-i", "-", "-o", out.toString()).succeeds();
        assertThat(lines(out.resolve("ids.txt"))).containsExactly("a", "b", "c");
        assertThat(r.err()).contains("<stdin>:12: record 'e4'");
    }

    @Test
    void invalidCharactersAreReportedAndTheRecordSkippedByDefault() {
        Path in = write(tmp.resolve("in.fa"), GENBANK_PASTE);
        Path out = tmp.resolve("out");
        CliRunner.Result r = embed("-m", TINY, "-i", in.toString(), "-o", out.toString()).succeeds();
        assertThat(lines(out.resolve("ids.txt"))).containsExactly("a", "c", "d");
        assertThat(r.err()).contains(in + ":4: record 'gb' (line 3) has characters that are not residue letters: '1' '2'", "skipped",
                "records skipped: 1 (1 with invalid characters)", "unknown letters mapped to <unk>: 1 in 1 sequence (c)");
        Map<String, Object> summary = summary(out);
        assertThat(summary).containsEntry("skipped_invalid_characters", 1).containsEntry("first_ids_with_unknown_letters", List.of("c"));
        assertThat(Manifest.read(out.resolve(Manifest.FILE)).toString()).contains("invalid_records=skip");
    }

    @Test
    void theDryRunCountsTheRecordsItWouldLeaveOut() {
        Path in = write(tmp.resolve("in.fa"), GENBANK_PASTE + EMPTY_RECORDS.replace(">a\n", ">a2\n"));
        CliRunner.Result r = embed("-m", TINY, "-i", in.toString(), "-o", tmp.resolve("out").toString(), "--dry-run",
                "--duplicate-ids", "skip").succeeds();
        assertThat(r.out()).contains("11 records, 5 sequences kept (4 empty, 1 with invalid characters, 1 duplicate ids skipped)");
    }

    @Test
    void invalidCharactersBecomeUnknownOnRequest() {
        Path in = write(tmp.resolve("in.fa"), GENBANK_PASTE);
        Path out = tmp.resolve("out");
        CliRunner.Result r = embed("-m", TINY, "-i", in.toString(), "-o", out.toString(), "--invalid-records", "unk").succeeds();
        assertThat(lines(out.resolve("ids.txt"))).containsExactly("a", "gb", "c", "d");
        // 1, 21 and the spaces: "1" and "21" are 3 digits, each an <unk>; J in c is 1 more.
        assertThat(r.err()).contains(in + ":4: record 'gb'", "embedded with <unk>", "unknown letters mapped to <unk>: 4 in 2 sequences (gb, c)");
        assertThat(summary(out)).containsEntry("invalid_characters_as_unk", 1);
    }

    @Test
    void invalidCharactersStopTheRunBeforeAnyWorkOnRequest() {
        Path in = write(tmp.resolve("in.fa"), GENBANK_PASTE);
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", in.toString(), "-o", out.toString(), "--invalid-records", "error")
                .fails(ExitCode.BAD_INPUT.code(), in + ":4: record 'gb'", "'1' '2'", "--invalid-records skip", "unk");
        assertThat(out).doesNotExist();
        embed("-m", TINY, "-i", in.toString(), "-o", out.toString(), "--invalid-records", "drop")
                .fails(ExitCode.USAGE.code(), "--invalid-records", "drop");
    }

    @Test
    void aResumeWithAnotherInvalidRecordsPolicyIsRefused() {
        Path in = write(tmp.resolve("in.fa"), GENBANK_PASTE);
        Path out = tmp.resolve("out");
        embed("-m", TINY, "-i", in.toString(), "-o", out.toString()).succeeds();
        embed("-m", TINY, "-i", in.toString(), "-o", out.toString(), "--invalid-records", "unk")
                .fails(ExitCode.BAD_OUTPUT.code(), "--invalid-records: earlier \"skip\", now \"unk\"");
    }

    @Test
    void anEmptyInputWritesAnEmptyDatasetWithAWarning() {
        Path in = write(tmp.resolve("empty.fa"), "");
        Path out = tmp.resolve("out");
        CliRunner.Result r = embed("-m", TINY, "-i", in.toString(), "-o", out.toString()).succeeds();
        assertThat(r.err()).contains(in + ": no FASTA records", "empty dataset");
        assertThat(lines(out.resolve("ids.txt"))).isEmpty();
        assertThat(Manifest.read(out.resolve(Manifest.FILE))).containsEntry("rows", 0);
        Path allEmpty = write(tmp.resolve("all-empty.fa"), ">e1\n>e2\n*\n");
        CliRunner.Result r2 = embed("-m", TINY, "-i", allEmpty.toString(), "-o", tmp.resolve("out2").toString()).succeeds();
        assertThat(r2.err()).contains("none of its 2 records was kept", "empty dataset");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(Path out) {
        return (Map<String, Object>) Manifest.read(out.resolve(Manifest.FILE)).get("summary");
    }
}
