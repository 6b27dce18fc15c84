package org.esm2j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.esm2j.cli.CliRunner.PROTEINS;
import static org.esm2j.cli.CliRunner.TINY;
import static org.esm2j.cli.CliRunner.embed;
import static org.esm2j.cli.CliRunner.listing;

/**
 * End to end through the command line: how sequences are packed into batches, or when the command runs,
 * changes no bit of the results.
 */
class PackingInvarianceCliTest {
    private static final String[] ALL = {"-i", PROTEINS, "-m", TINY, "--include", "mean", "per_tok", "bos", "logits", "contacts",
            "--repr-layers", "0", "1", "2"};

    @TempDir
    Path tmp;

    private Path run(String name, String tokensPerBatch) {
        Path out = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of(ALL));
        args.addAll(List.of("-o", out.toString(), "--toks-per-batch", tokensPerBatch));
        embed(args.toArray(String[]::new)).succeeds();
        return out;
    }

    private static void assertIdenticalDatasets(Path a, Path b) {
        List<String> files = listing(a);
        assertThat(listing(b)).isEqualTo(files);
        assertThat(files).contains("contacts.npy", "logits.npy", "per_tok.1.npy");
        List<String> differing = new ArrayList<>();
        for (String f : files) {
            if (!f.equals("manifest.json") && !Arrays.equals(bytes(a.resolve(f)), bytes(b.resolve(f)))) {
                differing.add(f);
            }
        }
        assertThat(differing).as("files that are not byte-identical").isEmpty();
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void differentTokenBudgetsGiveIdenticalFiles() {
        assertIdenticalDatasets(run("small", "50"), run("large", "100000"));
    }

    @Test
    void theSameCommandTwiceGivesIdenticalFiles() {
        assertIdenticalDatasets(run("first", "50"), run("second", "50"));
    }
}
