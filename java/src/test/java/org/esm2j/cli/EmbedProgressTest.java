package org.esm2j.cli;

import org.esm2j.CapturedStderr;
import org.esm2j.TestData;
import org.esm2j.output.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code esm2j embed} with the progress and logging options, in-process (stderr here is a pipe, not a terminal). */
class EmbedProgressTest {
    private CapturedStderr captured;
    private final StringWriter picocliErr = new StringWriter();

    @BeforeEach
    void captureStderr() {
        captured = new CapturedStderr();
    }

    @AfterEach
    void restore() {
        captured.close();
    }

    private int embed(Path out, String... extra) {
        return embed(TestData.repo().resolve("examples/proteins.fasta"), out, extra);
    }

    private int embed(Path fasta, Path out, String... extra) {
        Path model = TestData.repo().resolve("examples/models/esm2-tiny-L2-E64-H4");
        List<String> args = new java.util.ArrayList<>(List.of("embed", "-m", model.toString(), "-i", fasta.toString(),
                "-o", out.toString(), "--threads", "1"));
        args.addAll(List.of(extra));
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(picocliErr, true));
        return cl.execute(args.toArray(String[]::new));
    }

    private String stderr() {
        return captured.text() + picocliErr;
    }

    @Test
    void theSummaryTableEndsTheRunAndItsFiguresAreInTheManifest(@TempDir Path dir) {
        Path out = dir.resolve("out");
        assertThat(embed(out, "--progress", "log", "--progress-interval", "0.2")).isZero();
        String err = stderr();
        assertThat(err).contains("summary: 8 sequences written", "device", "OOM retries", "unknown letters mapped to <unk>",
                "sequences truncated to --truncation-seq-length", "records skipped")
                .containsPattern("(?m)^  cpu +8 ")
                .doesNotContain("\033", "\r");

        Map<String, Object> manifest = Manifest.read(out.resolve(Manifest.FILE));
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) manifest.get("summary");
        assertThat(summary).containsEntry("sequences_written", 8)
                .containsKeys("unknown_letters", "truncated_sequences", "skipped_empty", "skipped_duplicate", "wall_seconds",
                        "jvm_heap_peak_bytes", "jvm_heap_max_bytes", "started");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> devices = (List<Map<String, Object>>) summary.get("devices");
        assertThat(devices).singleElement().satisfies(d -> assertThat(d)
                .containsEntry("id", "cpu").containsEntry("sequences", 8).containsEntry("oom_retries", 0)
                .containsKeys("tokens", "busy_seconds", "tokens_per_second", "busy_fraction", "token_budget"));
    }

    @Test
    void quietPrintsNoSummaryButTheManifestStillHasIt(@TempDir Path dir) {
        Path out = dir.resolve("out");
        assertThat(embed(out, "-q")).isZero();
        assertThat(stderr()).doesNotContain("summary", "progress", "INFO");
        assertThat(Manifest.read(out.resolve(Manifest.FILE))).containsKey("summary");
    }

    @Test
    void liveProgressWithoutATerminalIsAUsageError(@TempDir Path dir) {
        Path out = dir.resolve("out");
        assertThat(embed(out, "--progress", "live")).isEqualTo(2);
        assertThat(stderr()).contains("--progress live: standard error is not a terminal", "--progress log");
        assertThat(out).doesNotExist();
    }

    @Test
    void badProgressOptionsAreUsageErrors(@TempDir Path dir) {
        assertThat(embed(dir.resolve("a"), "--progress", "sometimes")).isEqualTo(2);
        assertThat(stderr()).contains("--progress", "sometimes");
        assertThat(embed(dir.resolve("b"), "--progress-interval", "0")).isEqualTo(2);
        assertThat(stderr()).contains("--progress-interval must be between 0 and 86400 seconds");
    }

    @Test
    void theLogFileGetsProgressLinesAndDebugDetail(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path log = dir.resolve("run.log");
        // Long enough (about 100,000 tokens) to outlast several 0.05 s intervals even once the JIT has warmed up.
        Path fasta = Cli.fasta(dir.resolve("many.fa"), 500, 100, 300, 7);
        assertThat(embed(fasta, out, "--progress", "none", "--progress-interval", "0.05", "--log-file", log.toString())).isZero();
        String text = Files.readString(log);
        assertThat(text).contains("summary: 500 sequences written", "[esm2j-progress] org.esm2j.progress: progress cpu: ");
        assertThat(stderr()).doesNotContain("progress cpu");
    }
}
