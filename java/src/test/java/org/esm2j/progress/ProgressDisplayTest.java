package org.esm2j.progress;

import org.esm2j.CapturedStderr;
import org.esm2j.cli.LoggingMixin;
import org.esm2j.schedule.DeviceStatsWriter;
import org.esm2j.schedule.RunStats;
import org.esm2j.schedule.DeviceStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressDisplayTest {
    private static final String ESC = "\033[";
    private CapturedStderr captured;

    @BeforeEach
    void captureStderr() {
        // Tests that run the command line (with -q, say) leave its logging set up; start from the default one.
        new LoggingMixin().apply();
        captured = new CapturedStderr();
    }

    @AfterEach
    void restoreStderr() {
        captured.close();
    }

    private String stderr() {
        return captured.text();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 20 s");
            }
            Thread.sleep(20);
        }
    }

    private static RunStats oneCpu() {
        RunStats stats = new RunStats();
        stats.expect(100, 10_000);
        DeviceStats cpu = stats.device("cpu", "CPU, 2 threads");
        DeviceStatsWriter.work(cpu, 10, 1020, 1_000_000_000L, 3);
        DeviceStatsWriter.tokenBudget(cpu, 4096);
        return stats;
    }

    @Test
    void logModeWritesPlainLinesEveryInterval() throws Exception {
        RunStats stats = oneCpu();
        ProgressDisplay.Settings settings = new ProgressDisplay.Settings(ProgressMode.LOG, Duration.ofMillis(200), false);
        try (ProgressDisplay display = ProgressDisplay.start(stats, settings, StderrTerminal.of(false, null, -1))) {
            await(() -> stderr().split("progress total:", -1).length > 3);
            assertThat(display.mode()).isEqualTo(ProgressMode.LOG);
        }
        String out = stderr();
        assertThat(out).contains("progress cpu: 10 seq, 1,020 tok", "budget 4,096 tok", "progress total: 10% (10/100 seq)")
                .doesNotContain("\033", "\r");
    }

    @Test
    void liveModeDrawsTheRegionAndOtherOutputScrollsAboveIt() throws Exception {
        RunStats stats = oneCpu();
        ProgressDisplay.Settings settings = new ProgressDisplay.Settings(ProgressMode.LIVE, Duration.ofSeconds(30), false);
        try (ProgressDisplay ignored = ProgressDisplay.start(stats, settings, StderrTerminal.of(true, "xterm-256color", 100))) {
            await(() -> stderr().contains("tok/s") && stderr().contains("total"));
            LoggerFactory.getLogger("esm2j.test").info("a log line from the run");
            System.err.println("a stray line on System.err");
            await(() -> stderr().contains("a stray line"));
            assertThat(System.err).isNotSameAs(captured.stream());
        }
        assertThat(System.err).isSameAs(captured.stream());
        String out = stderr();
        assertThat(out).startsWith(ESC + "?25l").contains("cpu ", "busy", "heap", "total ");
        assertThat(out).containsPattern("\\Q" + ESC + "J\\E[^\033]*a log line from the run\n");
        assertThat(out).containsPattern("\\Q" + ESC + "J\\E" + "a stray line on System.err\n");
        assertThat(out).endsWith(ESC + "J" + ESC + "?25h");
        int lastShow = out.lastIndexOf(ESC + "?25h");
        assertThat(out.indexOf("tok/s", lastShow)).as("nothing drawn after the cursor came back").isEqualTo(-1);
    }

    @Test
    void noneShowsNothing() throws Exception {
        RunStats stats = oneCpu();
        ProgressDisplay.Settings settings = new ProgressDisplay.Settings(ProgressMode.NONE, Duration.ofMillis(100), false);
        try (ProgressDisplay ignored = ProgressDisplay.start(stats, settings, StderrTerminal.of(true, "xterm", 100))) {
            await(() -> stats.jvmHeapPeakBytes() > 0);
            Thread.sleep(300);
        }
        assertThat(stderr()).isEmpty();
    }
}
