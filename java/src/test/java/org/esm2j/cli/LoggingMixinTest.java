package org.esm2j.cli;

import org.esm2j.CapturedStderr;
import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.progress.ProgressDisplay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoggingMixinTest {
    private static final Logger LOG = LoggerFactory.getLogger("org.esm2j.test.Logging");

    @Command(name = "t")
    static final class Cmd {
        @Mixin
        LoggingMixin logging;
    }

    private CapturedStderr captured;

    @BeforeEach
    void captureStderr() {
        captured = new CapturedStderr();
    }

    @AfterEach
    void restore() {
        apply();
        captured.close();
    }

    private static LoggingMixin apply(String... args) {
        Cmd cmd = new Cmd();
        new CommandLine(cmd).parseArgs(args);
        cmd.logging.apply();
        return cmd.logging;
    }

    private String stderr() {
        return captured.text();
    }

    private static void logAll() {
        LOG.trace("a trace line");
        LOG.debug("a debug line");
        LOG.info("an info line");
        LOG.warn("a warning", new IllegalStateException("the cause"));
    }

    @Test
    void defaultShowsInfoWithoutStackTraces() {
        apply();
        logAll();
        assertThat(stderr()).contains("INFO  an info line", "WARN  a warning")
                .doesNotContain("debug line", "IllegalStateException", "\tat ");
    }

    @Test
    void verboseAddsDebugThreadsLoggersAndStackTraces() {
        apply("-v");
        logAll();
        assertThat(stderr()).contains("a debug line", "[main]", "Logging: an info line", "IllegalStateException: the cause", "\tat ")
                .doesNotContain("trace line");
        captured.reset();
        apply("-vv");
        logAll();
        assertThat(stderr()).contains("a trace line");
    }

    @Test
    void quietKeepsOnlyWarnings() {
        apply("-q");
        logAll();
        assertThat(stderr()).contains("a warning").doesNotContain("info line", "debug line");
    }

    @Test
    void quietAndVerboseContradict() {
        assertThatThrownBy(() -> apply("-q", "-v")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-q and -v");
    }

    @Test
    void logFileGetsFullDetailWhateverStderrShows(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.log");
        apply("-q", "--log-file", file.toString());
        logAll();
        String log = Files.readString(file);
        assertThat(log).contains("DEBUG [main] org.esm2j.test.Logging: a debug line", "an info line", "IllegalStateException: the cause", "\tat ")
                .doesNotContain("trace line")
                .containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} DEBUG");
        assertThat(stderr()).contains("a warning").doesNotContain("info line");
    }

    @Test
    void applyingAgainReplacesTheLogFile(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("second.log");
        apply("--log-file", first.toString());
        LOG.info("to the first");
        apply("--log-file", second.toString());
        LOG.info("to the second");
        assertThat(Files.readString(first)).contains("to the first").doesNotContain("to the second");
        assertThat(Files.readString(second)).contains("to the second").doesNotContain("to the first");
    }

    @Test
    void anUnwritableLogFileIsAnErrorNamingTheOption(@TempDir Path dir) {
        Path missing = dir.resolve("no/such/dir/run.log");
        assertThatThrownBy(() -> apply("--log-file", missing.toString()))
                .isInstanceOf(Esm2jException.class)
                .hasMessageContaining("--log-file " + missing)
                .hasMessageContaining("does not exist")
                .satisfies(e -> assertThat(((Esm2jException) e).exitCode()).isEqualTo(ExitCode.BAD_OUTPUT));
    }

    @Test
    void progressLinesReachTheLogFileEvenWhenStderrIsQuiet(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.log");
        apply("-q", "--log-file", file.toString());
        LoggerFactory.getLogger("org.esm2j.progress").info(ProgressDisplay.PROGRESS, "progress cpu: 1 seq");
        assertThat(Files.readString(file)).contains("progress cpu: 1 seq");
        assertThat(stderr()).doesNotContain("progress cpu");
    }
}
