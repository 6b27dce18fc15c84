package org.esm2j.cli;

import org.esm2j.model.SafetensorsFile;
import org.esm2j.progress.Summary;
import org.esm2j.schedule.RunStats;
import org.esm2j.tokens.TokenizedSequence;
import org.esm2j.tokens.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --long-sequences} and {@code --window-stride} on the command line: the plan, the summary, and mistakes named by flag. */
class LongSequencesCliTest {
    @TempDir
    Path tmp;

    private Path input() {
        return CliRunner.write(tmp.resolve("in.fa"), ">a\n" + "M".repeat(10) + "\n>long\n" + "ACDEFGHIKLMNPQRSTVWY".repeat(150) + "\n>b\n"
                + "K".repeat(20) + "\n");
    }

    private CliRunner.Result dryRun(String... extra) {
        String[] base = {"embed", "-q", "-m", CliRunner.TINY, "-i", input().toString(), "-o", tmp.resolve("out").toString(), "--dry-run"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRunner.run(args);
    }

    /**
     * The acceptance check, end to end: a 3,000-residue protein embedded with {@code --long-sequences window} equals
     * its windows embedded as proteins of their own by a plain run, averaged per residue by the rule (float32, 1e-5).
     */
    @Test
    void aWindowedProteinEqualsItsWindowsEmbeddedAsSeparateProteinsAndAveraged() throws Exception {
        java.util.Random random = new java.util.Random(3000);
        StringBuilder protein = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            protein.append("LAGVSERTIDPKQNFYMHWC".charAt(random.nextInt(20)));
        }
        int[] starts = {0, 511, 1022, 1533, 1978};
        StringBuilder windows = new StringBuilder();
        for (int s : starts) {
            windows.append(">w").append(s).append('\n').append(protein, s, s + 1022).append('\n');
        }
        Path windowed = tmp.resolve("windowed.safetensors");
        Path separate = tmp.resolve("separate.safetensors");
        CliRunner.embed("-m", CliRunner.TINY, "-i", CliRunner.write(tmp.resolve("long.fa"), ">titin\n" + protein + "\n").toString(),
                "-o", windowed.toString(), "--format", "safetensors", "--include", "mean", "per_tok", "--repr-layers", "0", "-1",
                "--long-sequences", "window").succeeds();
        CliRunner.embed("-m", CliRunner.TINY, "-i", CliRunner.write(tmp.resolve("windows.fa"), windows.toString()).toString(),
                "-o", separate.toString(), "--format", "safetensors", "--include", "per_tok", "--repr-layers", "0", "-1").succeeds();

        try (SafetensorsFile got = SafetensorsFile.open(windowed); SafetensorsFile parts = SafetensorsFile.open(separate)) {
            for (int layer : new int[] {0, 2}) {
                float[] perTok = got.tensors().get("titin.per_tok." + layer).toFloatArray();
                int hidden = perTok.length / 3000;
                double[] sum = new double[perTok.length];
                int[] count = new int[3000];
                for (int s : starts) {
                    float[] w = parts.tensors().get("w" + s + ".per_tok." + layer).toFloatArray();
                    for (int a = 0; a < 1022; a++) {
                        count[s + a]++;
                        for (int j = 0; j < hidden; j++) {
                            sum[(s + a) * hidden + j] += w[a * hidden + j];
                        }
                    }
                }
                double[] mean = new double[hidden];
                double worst = 0;
                for (int i = 0; i < 3000; i++) {
                    for (int j = 0; j < hidden; j++) {
                        float expected = (float) (sum[i * hidden + j] / count[i]);
                        mean[j] += expected / 3000.0;
                        worst = Math.max(worst, Math.abs(perTok[i * hidden + j] - expected) / Math.max(1, Math.abs(expected)));
                    }
                }
                assertThat(worst).as("per_tok layer " + layer).isLessThanOrEqualTo(1e-5);
                float[] gotMean = got.tensors().get("titin.mean." + layer).toFloatArray();
                for (int j = 0; j < hidden; j++) {
                    assertThat((double) gotMean[j]).as("mean layer " + layer + "[" + j + "]").isCloseTo(mean[j],
                            org.assertj.core.data.Offset.offset(1e-5 * Math.max(1, Math.abs(mean[j]))));
                }
            }
        }
    }

    @Test
    void theDryRunCountsWindowsAndTheirTokens() {
        assertThat(dryRun().succeeds().out()).contains("3 sequences to compute: 1,058 tokens (1,052 residues), longest 1,024 tokens, 1 truncated");
        assertThat(dryRun("--long-sequences", "window").succeeds().out())
                .contains("3 sequences to compute: 5,154 tokens (3,030 residues), longest 1,024 tokens, 1 cut into 5 windows (--long-sequences window)");
        assertThat(dryRun("--long-sequences", "window", "--window-stride", "1022").succeeds().out())
                .contains("3,106 tokens").contains("1 cut into 3 windows");
        assertThat(dryRun("--long-sequences", "full").succeeds().out())
                .contains("3 sequences to compute: 3,036 tokens (3,030 residues), longest 3,002 tokens, none truncated (--long-sequences full)");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void theSummarySaysHowManyProteinsWereWindowedAndWhichContactPairsNoWindowHeld() {
        RunStats stats = new RunStats();
        TokenizedSequence titin = new Tokenizer(0).tokenize(0, "titin", "A".repeat(3000));
        stats.sequenceKept(titin);
        stats.toCompute(titin, 5, 5 * 1024);
        assertThat(Summary.lines(stats, 1_000_000_000L)).contains("  sequences truncated to --truncation-seq-length: none",
                "  proteins embedded as windows (--long-sequences window): 1, in 5 windows");
        stats.contactPairsOutsideWindows(1234);
        assertThat(Summary.lines(stats, 1_000_000_000L))
                .contains("  proteins embedded as windows (--long-sequences window): 1, in 5 windows; 1,234 contact pairs held by no window, written as 0");
        assertThat(stats.tokens()).isEqualTo(5 * 1024);
        assertThat(stats.toMap()).containsEntry("windowed_sequences", 1L).containsEntry("sequence_windows", 5L)
                .containsEntry("contact_pairs_outside_windows", 1234L);
        assertThat(new RunStats().toMap()).doesNotContainKey("windowed_sequences");
    }

    @Test
    void mistakesAreNamedByTheirFlags() {
        dryRun("--window-stride", "100").fails(2, "--window-stride applies to --long-sequences window only");
        dryRun("--long-sequences", "window", "--window-stride", "2000").fails(2, "--window-stride must be between 1 and --truncation-seq-length (1022)");
        dryRun("--long-sequences", "window", "--window-stride", "-3").fails(2, "--window-stride must be >= 1");
        dryRun("--long-sequences", "window", "--truncation-seq-length", "0").fails(2, "--long-sequences window", "--truncation-seq-length must be >= 1");
        dryRun("--long-sequences", "sideways").fails(2, "--long-sequences", "TRUNCATE, WINDOW, FULL");
    }

    @Test
    void helpDescribesTheOption() {
        assertThat(CliRunner.run("embed", "--help").out()).contains("--long-sequences=HOW").contains("--window-stride=N");
    }
}
