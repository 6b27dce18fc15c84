package org.esm2j.cli;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.Parameter;
import org.esm2j.pipeline.ShardSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.esm2j.cli.CliRunner.PROTEINS;
import static org.esm2j.cli.CliRunner.TINY;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Who is at fault, told by the exit code: a command-line mistake exits 2 naming the flag (the library names its
 * parameter), and any other exception is a bug of esm2j: exit 1, "please report", the stack trace only under -v.
 */
class ErrorReportingTest {
    private static final int USAGE = ExitCode.USAGE.code();
    private static final int FAILURE = ExitCode.FAILURE.code();

    @TempDir
    Path tmp;

    static Stream<org.junit.jupiter.params.provider.Arguments> parameterMistakes() {
        return Stream.of(
                arguments(List.of("--threads", "0"), "--threads must be >= 1, got 0"),
                arguments(List.of("--repr-layers", "99"), "--repr-layers 99 is out of range"),
                arguments(List.of("--dtype", "fp8"), "--dtype fp8: expected auto, bf16, fp16 or fp32"),
                arguments(List.of("--device", "tpu"), "--device tpu: expected"),
                arguments(List.of("--shard", "abc"), "--shard abc: expected K/N"),
                arguments(List.of("--shard", "4/4"), "--shard 4/4: K is 0-based"),
                arguments(List.of("--max-batch-sequences", "0"), "--max-batch-sequences must be >= 1"),
                arguments(List.of("--truncation-seq-length", "-1"), "--truncation-seq-length must be >= 0"),
                arguments(List.of("--toks-per-batch", "-1"), "--toks-per-batch must be >= 0"),
                arguments(List.of("--part-size", "0"), "--part-size must be >= 1"),
                arguments(List.of("--include", "everything"), "--include: unknown output 'everything'"));
    }

    @ParameterizedTest
    @MethodSource("parameterMistakes")
    void aParameterMistakeOnTheCommandLineNamesTheFlagAndExits2(List<String> options, String message) {
        CliRunner.Result r = embedWith(options.toArray(String[]::new)).fails(USAGE, "esm2j: error: " + message);
        assertThat(r.err()).doesNotContain("unexpected failure", "please report");
    }

    @Test
    void otherErrorsNameTheFlagOnTheCommandLineAndTheParameterInTheLibrary() {
        CliRunner.run("embed", "-q", "-m", "/nonexistent/model", "-i", PROTEINS, "-o", tmp.resolve("out").toString()).fails(ExitCode.BAD_MODEL.code(), "esm2j: error: --model /nonexistent/model: no such directory");
        assertThat(new Esm2jException(ExitCode.BAD_MODEL, "{model} x: lower {truncation}; ${HOME} {unknown}").getMessage())
                .isEqualTo("model x: lower truncation; ${HOME} {unknown}");
        assertThatThrownBy(() -> ShardSpec.fromSlurm(Map.of("SLURM_ARRAY_TASK_ID", "7", "SLURM_ARRAY_TASK_MIN", "3",
                "SLURM_ARRAY_TASK_MAX", "7", "SLURM_ARRAY_TASK_COUNT", "2")))
                .hasMessageContaining("pass shard K/N explicitly, e.g. shard ${SLURM_ARRAY_TASK_ID}/N");
    }

    private CliRunner.Result embedWith(String... options) {
        List<String> args = new ArrayList<>(List.of("embed", "-q", "-m", TINY, "-i", PROTEINS, "-o", tmp.resolve("out").toString()));
        args.addAll(Arrays.asList(options));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void everyLibraryParameterHasItsFlag() {
        for (Parameter p : Parameter.values()) {
            assertThat(Flags.of(p)).as(p.name()).isNotBlank();
        }
    }

    /** A command whose run fails the way a bug of ours does (the seam: a subcommand of the real command line). */
    @Command(name = "boom")
    static final class Boom implements Runnable {
        @Mixin
        LoggingMixin logging;

        @Override
        public void run() {
            // An IllegalArgumentException from inside esm2j is a broken invariant, not the user's mistake.
            throw new IllegalArgumentException("batch limits need maxTokens >= 2");
        }
    }

    private static CliRunner.Result boom(String... options) {
        CommandLine cl = Main.commandLine();
        cl.addSubcommand("boom", new Boom());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("boom"));
        args.addAll(Arrays.asList(options));
        return new CliRunner.Result(cl.execute(args.toArray(String[]::new)), out.toString(), err.toString());
    }

    @Test
    void anInternalFailureIsABugToReportWithItsStackTraceUnderVerbose() {
        boom().fails(FAILURE, "esm2j: unexpected failure (a bug in esm2j): batch limits need maxTokens >= 2",
                "run again with -v for the details, and please report it");
        CliRunner.Result verbose = boom("-v");
        assertThat(verbose.exitCode()).isEqualTo(FAILURE);
        assertThat(verbose.err()).contains("esm2j: unexpected failure (a bug in esm2j): batch limits need maxTokens >= 2",
                "java.lang.IllegalArgumentException", "\tat org.esm2j.cli.ErrorReportingTest$Boom.run");
        assertThat(verbose.err()).doesNotContain("esm2j: error:");
    }
}
