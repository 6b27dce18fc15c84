package org.esm2j.cli;

import org.esm2j.ExitCode;
import org.esm2j.output.Datasets;
import org.esm2j.output.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real {@code esm2j embed} process killed in the middle (SIGKILL, as the OOM killer or a node failure does; and
 * SIGTERM, as SLURM does at a time limit or on pre-emption), then run again with the same command: the result
 * equals an uninterrupted run's, same rows byte for byte, same order, no duplicates.
 */
class KillResumeTest {
    static final int SEQUENCES = 12_000;
    static final int PART = 400;

    @TempDir
    static Path shared;
    static Path fasta;
    static Path reference;

    @TempDir
    Path tmp;

    @BeforeAll
    static void uninterruptedRun() throws Exception {
        fasta = Cli.fasta(shared.resolve("in.fa"), SEQUENCES, 5, 30, 7);
        reference = shared.resolve("reference");
        Process p = Cli.process(shared.resolve("reference.log"), args(reference)).start();
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(shared.resolve("reference.log"))).isZero();
    }

    static String[] args(Path out) {
        return new String[] {"embed", "-m", CliRunner.TINY, "-i", fasta.toString(), "-o", out.toString(), "--part-size", "" + PART, "--threads", "2"};
    }

    /** Starts the run and returns once {@code parts} parts are finished (the process still running). */
    private static Process startAndWaitForParts(Path out, Path log, int parts) throws Exception {
        Process p = Cli.process(log, args(out)).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (Datasets.finishedParts(out).size() < parts) {
            assertThat(p.isAlive()).as("the run ended before " + parts + " parts were written: " + Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("no parts after 300 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("the run ended before it could be interrupted; use a larger input").isTrue();
        return p;
    }

    private static void resumeAndCompare(Path out, Path log, int partsBefore) throws Exception {
        Process again = Cli.process(log, args(out)).start();
        assertThat(again.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).as(Files.readString(log)).isZero();
        Datasets.assertSameData(out, reference);
        List<String> ids = Datasets.ids(out);
        assertThat(ids).hasSize(SEQUENCES).doesNotHaveDuplicates();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < SEQUENCES; i++) {
            expected.add("s" + i);
        }
        assertThat(ids).isEqualTo(expected);
        Map<?, ?> summary = (Map<?, ?>) Manifest.read(out.resolve(Manifest.FILE)).get("summary");
        long resumed = ((Number) summary.get("resumed_sequences")).longValue();
        assertThat(resumed).as("sequences kept from the killed run").isGreaterThanOrEqualTo((long) partsBefore * PART).isEqualTo(resumed / PART * PART);
        assertThat(((Number) summary.get("sequences_written")).longValue()).isEqualTo(SEQUENCES - resumed);
    }

    @Test
    void killedWithSigkillThenRerunEqualsAnUninterruptedRun() throws Exception {
        Path out = tmp.resolve("out");
        Process p = startAndWaitForParts(out, tmp.resolve("killed.log"), 3);
        p.destroyForcibly(); // SIGKILL: no cleanup of any kind
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.resolve(Manifest.FILE)).doesNotExist();
        int parts = Datasets.finishedParts(out).size();
        assertThat(parts).isGreaterThanOrEqualTo(3).isLessThan(SEQUENCES / PART);
        resumeAndCompare(out, tmp.resolve("resumed.log"), parts);
    }

    @Test
    void sigtermLeavesOnlyFinishedPartsAndExits130() throws Exception {
        Path out = tmp.resolve("out");
        Path log = tmp.resolve("terminated.log");
        Process p = startAndWaitForParts(out, log, 2);
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isEqualTo(ExitCode.INTERRUPTED.code());
        assertThat(Files.readString(log)).contains("interrupted").contains("run the same command again to resume");
        assertThat(out.resolve(Manifest.FILE)).doesNotExist();
        assertThat(Datasets.partials(out)).as("unfinished files left behind").isEmpty();
        int parts = Datasets.finishedParts(out).size();
        assertThat(parts).isGreaterThanOrEqualTo(2);
        try (var s = Files.list(out.resolve("parts"))) {
            assertThat(s.map(x -> x.getFileName().toString()).filter(n -> !n.equals("progress.json") && !n.matches("part-\\d{6}")).toList()).isEmpty();
        }
        resumeAndCompare(out, tmp.resolve("resumed.log"), parts);
    }

}
