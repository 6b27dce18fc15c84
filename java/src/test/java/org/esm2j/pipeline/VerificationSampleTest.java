package org.esm2j.pipeline;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.input.DuplicateIds;
import org.esm2j.tokens.TokenizedSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sample {@code esm2j verify} draws: seeded, the longest always in, read as {@code embed} reads the input. */
class VerificationSampleTest {
    @TempDir
    Path tmp;

    /** {@code n} records s0.. of random lengths 5..300 (seeded), and the lengths. */
    private Path fasta(int n, int[] lengths) throws IOException {
        Random r = new Random(11);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            lengths[i] = 5 + r.nextInt(296);
            sb.append(">s").append(i).append('\n').append("MKTAYIAKQR".repeat(31), 0, lengths[i]).append('\n');
        }
        return Files.writeString(tmp.resolve("in-" + n + ".fasta"), sb);
    }

    private static List<String> ids(VerificationSample s) {
        return s.sequences().stream().map(TokenizedSequence::id).toList();
    }

    @Test
    void theSameSeedDrawsTheSameSampleWithTheLongestFirstAndIndicesInOrder() throws IOException {
        int[] lengths = new int[500];
        Path in = fasta(500, lengths);
        VerificationSample a = VerificationSample.draw(in.toString(), 1022, DuplicateIds.ERROR, 32, 7);
        VerificationSample b = VerificationSample.draw(in.toString(), 1022, DuplicateIds.ERROR, 32, 7);
        VerificationSample c = VerificationSample.draw(in.toString(), 1022, DuplicateIds.ERROR, 32, 8);
        assertThat(ids(a)).hasSize(32).doesNotHaveDuplicates().isEqualTo(ids(b)).isNotEqualTo(ids(c));
        assertThat(a.records()).isEqualTo(500);
        assertThat(a.kept()).isEqualTo(500);
        assertThat(a.whole()).isFalse();
        assertThat(a.sequences()).extracting(TokenizedSequence::index).containsExactlyElementsOf(IntStream.range(0, 32).mapToObj(i -> (long) i).toList());

        // The 4 longest of the input (an eighth of 32; ties to the earlier record) are in, the longest first.
        Integer[] byLength = IntStream.range(0, 500).boxed().toArray(Integer[]::new);
        Arrays.sort(byLength, (x, y) -> lengths[y] != lengths[x] ? Integer.compare(lengths[y], lengths[x]) : Integer.compare(x, y));
        assertThat(a.longest()).isEqualTo(4);
        assertThat(ids(a).getFirst()).isEqualTo("s" + byLength[0]);
        assertThat(ids(a)).contains("s" + byLength[1], "s" + byLength[2], "s" + byLength[3]);
        assertThat(a.longestResidues()).isEqualTo(lengths[byLength[0]]);
        // ordinals give each one's place in the input
        for (int i = 0; i < a.count(); i++) {
            assertThat(a.sequences().get(i).id()).isEqualTo("s" + a.ordinals()[i]);
        }
        // the other 28 are drawn from the whole input, not its first records
        assertThat(Arrays.stream(a.ordinals()).filter(o -> o >= 250).count()).isGreaterThan(5);
        assertThat(Arrays.stream(a.ordinals()).filter(o -> o < 250).count()).isGreaterThan(5);
    }

    @Test
    void anInputNoBiggerThanTheSampleIsTakenWhole() throws IOException {
        int[] lengths = new int[10];
        Path in = fasta(10, lengths);
        VerificationSample s = VerificationSample.draw(in.toString(), 1022, DuplicateIds.ERROR, 64, 0);
        assertThat(s.whole()).isTrue();
        assertThat(ids(s)).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 10).mapToObj(i -> "s" + i).toList());
        assertThat(s.tokens()).isEqualTo(Arrays.stream(lengths).sum() + 20L);
    }

    @Test
    void readsAsEmbedDoes() throws IOException {
        Path in = Files.writeString(tmp.resolve("odd.fasta"), ">a\nMKT\n>empty\n**\n>a\nMKTAYIAKQR\n>b\nMKTAYIAKQRQI\n");
        assertThatThrownBy(() -> VerificationSample.draw(in.toString(), 1022, DuplicateIds.ERROR, 8, 0))
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                .hasMessageContaining("duplicate id 'a'");
        VerificationSample renamed = VerificationSample.draw(in.toString(), 5, DuplicateIds.RENAME, 8, 0);
        assertThat(ids(renamed)).containsExactlyInAnyOrder("a", "a#2", "b");
        assertThat(renamed.records()).isEqualTo(4);
        assertThat(renamed.kept()).isEqualTo(3);
        assertThat(renamed.longestResidues()).isEqualTo(5);
        assertThat(renamed.truncated()).isEqualTo(2);
        VerificationSample skipped = VerificationSample.draw(in.toString(), 1022, DuplicateIds.SKIP, 8, 0);
        assertThat(ids(skipped)).containsExactlyInAnyOrder("a", "b");

        Path empty = Files.writeString(tmp.resolve("empty.fasta"), ">x\n*\n");
        assertThatThrownBy(() -> VerificationSample.draw(empty.toString(), 1022, DuplicateIds.ERROR, 8, 0))
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                .hasMessageContaining("no sequence to verify");
    }
}
