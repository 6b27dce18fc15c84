package org.esm2j.output;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which labels can name a {@code .pt} file (the end-to-end behaviour is in cli/PtOutputTest). */
class TorchPtWriterTest {

    @Test
    void labelsAreCheckedAsFileNamesInBytes() {
        assertThat(TorchPtWriter.fileNameProblem("sp|P1|X_HUMAN Kinase OS=Homo sapiens")).isNull();
        assertThat(TorchPtWriter.fileNameProblem(".")).as("..pt is a file name").isNull();
        assertThat(TorchPtWriter.fileNameProblem("..")).isNull();
        assertThat(TorchPtWriter.fileNameProblem("")).contains("empty");
        assertThat(TorchPtWriter.fileNameProblem("a/b")).contains("'/'", "{format} npy");
        assertThat(TorchPtWriter.fileNameProblem("é".repeat(126))).as("252 bytes + .pt = 255").isNull();
        assertThat(TorchPtWriter.fileNameProblem("é".repeat(127))).contains("too long", "257 bytes");
    }

    @Test
    void ownFilesAreTheResultsTheRecordAndTemporaryFiles() {
        assertThat(TorchPtWriter.ownFile("a b.pt")).isTrue();
        assertThat(TorchPtWriter.ownFile(TorchPtWriter.STATE)).isTrue();
        assertThat(TorchPtWriter.ownFile(".esm2j-12.partial")).isTrue();
        assertThat(TorchPtWriter.ownFile("notes.txt")).isFalse();
        assertThat(TorchPtWriter.ownFile("manifest.json")).isFalse();
    }
}
