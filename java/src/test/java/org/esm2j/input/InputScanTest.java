package org.esm2j.input;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pre-scan finds format errors and duplicate ids before any model work, and counts for the ETA. */
class InputScanTest {
    @TempDir
    Path tmp;

    private Path fasta(String content) throws IOException {
        Path p = tmp.resolve("in.fasta");
        Files.writeString(p, content);
        return p;
    }

    @Test
    void countsRecordsAndLetters() throws IOException {
        InputScan scan = InputScan.of(fasta(">a\nMKT\nAYI\n>b\nML\n>c\nM\n").toString(), DuplicateIds.ERROR, InvalidRecords.SKIP);
        assertThat(scan.records()).isEqualTo(3);
        assertThat(scan.letters()).isEqualTo(9);
    }

    @Test
    void duplicateIdsAreAnErrorListingEachWithItsLine() throws IOException {
        Path in = fasta(">a\nMKT\n>b\nMLS\n>a second\nMKT\n>c\nM\n>b\nMLS\n");
        assertThatThrownBy(() -> InputScan.of(in.toString(), DuplicateIds.ERROR, InvalidRecords.SKIP))
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                .hasMessageStartingWith(in.toString())
                .hasMessageContainingAll("2 duplicate ids", "a (line 5)", "b (line 9)", "duplicates rename", "skip")
                .hasMessageNotContaining(", …");
    }

    @Test
    void manyDuplicatesAreCountedAndTheListIsCut() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            text.append(">dup\nMKT\n");
        }
        Path in = fasta(text.toString());
        assertThatThrownBy(() -> InputScan.of(in.toString(), DuplicateIds.ERROR, InvalidRecords.SKIP))
                .isInstanceOf(Esm2jException.class)
                .hasMessageContainingAll("24 duplicate ids", "dup (line 3)", "dup (line 21)", "…")
                .hasMessageNotContaining("line 23");
    }

    @Test
    void renameAndSkipPoliciesAcceptDuplicates() throws IOException {
        Path in = fasta(">a\nMKT\n>a\nMLS\n");
        assertThat(InputScan.of(in.toString(), DuplicateIds.RENAME, InvalidRecords.SKIP).records()).isEqualTo(2);
        assertThat(InputScan.of(in.toString(), DuplicateIds.SKIP, InvalidRecords.SKIP).records()).isEqualTo(2);
    }

    @Test
    void formatErrorsSurfaceInTheScan() throws IOException {
        Path in = fasta(">a\nMKT\nAYI\n>\nMLS\n");
        assertThatThrownBy(() -> InputScan.of(in.toString(), DuplicateIds.ERROR, InvalidRecords.SKIP))
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                .hasMessageStartingWith(in + ":4:")
                .hasMessageContaining("no id");
    }

    @Test
    void theScanCountsWhatTheRunEmbedsLeavingOutWhatItSkips() throws IOException {
        // Progress totals and shard shares come from this count: it must leave out the records the run leaves out.
        Path in = fasta(">a\nMKT\n>empty\n>b\nMLS\n>gb\n1 mkt ayi\n>a\nMKT\n>stops\n**\n");
        InputScan skip = InputScan.of(in.toString(), DuplicateIds.SKIP, InvalidRecords.SKIP);
        assertThat(skip.records()).isEqualTo(6);
        assertThat(skip.sequences()).isEqualTo(2);
        assertThat(skip.letters()).isEqualTo(6);
        InputScan unk = InputScan.of(in.toString(), DuplicateIds.RENAME, InvalidRecords.UNK);
        assertThat(unk.sequences()).isEqualTo(4);
    }

    @Test
    void invalidCharactersStopTheScanUnderTheErrorPolicy() throws IOException {
        Path in = fasta(">a\nMKT\n>gb genbank paste\nMKTAYI\n61 mlsrq/\n");
        assertThatThrownBy(() -> InputScan.of(in.toString(), DuplicateIds.ERROR, InvalidRecords.ERROR))
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                .hasMessageStartingWith(in + ":5:")
                .hasMessageContainingAll("'gb'", "line 3", "'6' '1' '/'", "invalidRecords skip", "unk");
    }
}
