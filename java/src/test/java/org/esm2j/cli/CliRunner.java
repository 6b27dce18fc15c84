package org.esm2j.cli;

import org.esm2j.TestData;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the command line in-process, as {@code esm2j ...} would, capturing what it prints and its exit code. */
final class CliRunner {
    static final String TINY = TestData.tiny().toString();
    static final String PROTEINS = TestData.proteins().toString();

    private CliRunner() {
    }

    record Result(int exitCode, String out, String err) {
        /** Asserts a failure with {@code code} whose one-line message (no stack trace) contains every fragment. */
        Result fails(int code, String... fragments) {
            assertThat(exitCode).as("exit code; stderr: %s", err).isEqualTo(code);
            assertThat(err).as("stderr").contains(fragments).doesNotContain("\tat ");
            return this;
        }

        Result succeeds() {
            assertThat(exitCode).as("exit code; stderr: %s", err).isZero();
            return this;
        }
    }

    /** {@code esm2j args...}. */
    static Result run(String... args) {
        var cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code esm2j embed -q --threads 2 args...}. */
    static Result embed(String... args) {
        List<String> all = new ArrayList<>(List.of("embed", "-q", "--threads", "2"));
        all.addAll(Arrays.asList(args));
        return run(all.toArray(String[]::new));
    }

    /** {@code embed} reading {@code fasta} from standard input ({@code -i -}). */
    static Result embedStdin(String fasta, String... args) {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(fasta.getBytes(StandardCharsets.UTF_8)));
            return embed(args);
        } finally {
            System.setIn(saved);
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the files in a directory, sorted (empty when it does not exist). */
    static List<String> listing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String content) {
        try {
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
