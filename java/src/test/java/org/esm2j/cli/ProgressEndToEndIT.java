package org.esm2j.cli;

import org.esm2j.TestData;
import org.esm2j.output.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bin/esm2j embed} as a user runs it: inside tmux (a real terminal, read back with capture-pane) it
 * shows the live region and leaves the terminal clean, also after Ctrl-C; with stderr piped it writes plain
 * lines only. Runs after {@code package} (failsafe), so the launcher finds a fresh jar and does not rebuild.
 */
class ProgressEndToEndIT {
    private static final Duration RUN_LIMIT = Duration.ofMinutes(3);
    private static Path repo;

    @TempDir
    Path dir;
    private Path fasta;
    private String socket;

    @BeforeAll
    static void needsTmux() {
        repo = TestData.repo();
        assumeTrue(Files.isExecutable(repo.resolve("bin/esm2j")), "bin/esm2j not found");
    }

    @BeforeEach
    void input() throws IOException {
        // Enough short random sequences that the tiny model runs for several seconds.
        fasta = dir.resolve("random.fasta");
        Random random = new Random(5);
        String letters = "ACDEFGHIKLMNPQRSTVWY";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            b.append(">r").append(i).append('\n');
            int n = 20 + random.nextInt(100);
            for (int j = 0; j < n; j++) {
                b.append(letters.charAt(random.nextInt(letters.length())));
            }
            b.append('\n');
        }
        Files.writeString(fasta, b);
        socket = "esm2j-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @AfterEach
    void stopTmux() throws Exception {
        if (!tmuxAvailable()) {
            return;
        }
        try {
            Path socketFile = Path.of(run(List.of("tmux", "-L", socket, "display-message", "-p", "#{socket_path}"), Duration.ofSeconds(10)).strip());
            run(List.of("tmux", "-L", socket, "kill-server"), Duration.ofSeconds(10));
            // tmux leaves the socket file behind; the machine is shared, so leave nothing.
            Files.deleteIfExists(socketFile);
        } catch (IOException e) {
            // No server to stop: the test skipped before starting one.
        }
    }

    private String embedCommand(Path out, String... extra) {
        return String.join(" ", "bin/esm2j", "embed", "-m", "examples/models/esm2-tiny-L2-E64-H4", "-i", fasta.toString(),
                "-o", out.toString(), "--threads", "2", String.join(" ", extra)).strip();
    }

    @Test
    void onATerminalTheLiveRegionShowsTokensPerSecondAndLeavesNoTrace() throws Exception {
        assumeTrue(tmuxAvailable(), "tmux is not installed (apt-get install -y tmux)");
        Path out = dir.resolve("out");
        startInTmux(120, embedCommand(out) + "; echo EXIT=$?");

        String live = awaitPane(screen -> liveCpuLine(screen).filter(l -> !l.contains(" 0 tok/s")).isPresent(), "a cpu line with tokens/s");
        String cpu = liveCpuLine(live).orElseThrow();
        assertThat(cpu).matches("cpu +.*busy \\d+%.* seq .*[\\d.]+K? tok/s.*heap .*");
        assertThat(live).containsPattern("(?m)^total +.*\\d+%.*seq.*tok/s.*elapsed .*ETA ");
        assertThat(cursorVisible()).as("cursor hidden while the region is shown").isFalse();

        String end = awaitPane(ProgressEndToEndIT::finished, "the end of the run");
        assertThat(end).contains("EXIT=0", "summary: 3,000 sequences written", "records skipped: none");
        assertThat(liveCpuLine(end)).as("the live region was erased").isEmpty();
        assertThat(end).doesNotContainPattern("(?m)^total ");
        assertThat(cursorVisible()).isTrue();
        assertThat(Manifest.read(out.resolve(Manifest.FILE))).containsKey("summary");
    }

    @Test
    void ctrlCOnANarrowTerminalRestoresTheTerminal() throws Exception {
        assumeTrue(tmuxAvailable(), "tmux is not installed (apt-get install -y tmux)");
        Path out = dir.resolve("out");
        startInTmux(50, embedCommand(out) + "; echo EXIT=$?");

        String live = awaitPane(screen -> liveCpuLine(screen).filter(l -> l.contains("tok/s")).isPresent(), "a cpu line");
        // capture-pane -J joins wrapped rows, so a region line that wrapped would show up longer than the pane.
        assertThat(live.lines().filter(l -> l.startsWith("cpu ") || l.startsWith("total ")))
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(l -> assertThat(l.length()).as("'%s' fits 50 columns", l).isLessThan(50));
        run(List.of("tmux", "-L", socket, "send-keys", "-t", "it", "C-c"), Duration.ofSeconds(10));

        String end = awaitPane(ProgressEndToEndIT::finished, "the end of the run");
        assertThat(end).contains("EXIT=130").containsPattern("WARN +run stopped before the end after \\d+s: [\\d,]+ of 3,000 sequences processed");
        assertThat(liveCpuLine(end)).as("the live region was erased").isEmpty();
        assertThat(cursorVisible()).isTrue();
        assertThat(out.resolve(Manifest.FILE)).as("an interrupted run leaves nothing that looks complete").doesNotExist();
    }

    @Test
    void withStderrPipedTheProgressIsPlainLinesOnly() throws Exception {
        Path out = dir.resolve("out");
        List<String> command = new ArrayList<>(List.of("bash", "-c", embedCommand(out, "--progress-interval", "1")));
        Process p = new ProcessBuilder(command).directory(repo.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        String text = new String(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).doesNotContain("\033", "\r");
        assertThat(text.lines().filter(l -> l.contains("progress cpu: ")).count()).as(text).isGreaterThanOrEqualTo(2);
        assertThat(text.lines().filter(l -> l.contains("progress total: ")).count()).isGreaterThanOrEqualTo(2);
        assertThat(text).containsPattern("progress cpu: [\\d,]+ seq, [\\d,.KM]+ tok, [\\d.]+K? tok/s, busy \\d+%, heap ")
                .contains("summary: 3,000 sequences written");
    }

    /** The shell's "EXIT=n" after the run (the typed command line contains "EXIT=$?", which does not count). */
    private static boolean finished(String screen) {
        return screen.lines().anyMatch(l -> l.matches("EXIT=\\d+"));
    }

    private static Optional<String> liveCpuLine(String screen) {
        return screen.lines().filter(l -> l.startsWith("cpu ") && l.contains("busy")).findFirst();
    }

    private void startInTmux(int columns, String command) throws Exception {
        run(List.of("tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "it", "-x", Integer.toString(columns), "-y", "40",
                "-c", repo.toString(), "bash --norc --noprofile"), Duration.ofSeconds(10));
        run(List.of("tmux", "-L", socket, "send-keys", "-t", "it", "-l", command), Duration.ofSeconds(10));
        run(List.of("tmux", "-L", socket, "send-keys", "-t", "it", "Enter"), Duration.ofSeconds(10));
    }

    private String capture() throws Exception {
        return run(List.of("tmux", "-L", socket, "capture-pane", "-p", "-J", "-S", "-", "-t", "it"), Duration.ofSeconds(10));
    }

    private boolean cursorVisible() throws Exception {
        return run(List.of("tmux", "-L", socket, "display-message", "-p", "-t", "it", "#{cursor_flag}"), Duration.ofSeconds(10)).strip().equals("1");
    }

    private String awaitPane(Predicate<String> condition, String what) throws Exception {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = capture();
            if (condition.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " within " + RUN_LIMIT + "; the terminal shows:\n" + screen);
    }

    private static boolean tmuxAvailable() {
        try {
            run(List.of("tmux", "-V"), Duration.ofSeconds(10));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String run(List<String> command, Duration limit) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish in " + limit);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(command + " failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }
}
