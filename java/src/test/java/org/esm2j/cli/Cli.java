package org.esm2j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Runs the command line as a child JVM (what a scheduler starts and kills), and makes FASTA inputs. */
public final class Cli {
    private static final String RESIDUES = "LAGVSERTIDPKQNFYMHWC";

    private Cli() {
    }

    /** {@code esm2j} in a fresh JVM (the launcher's flags, the test classpath): what a scheduler starts and kills. */
    public static ProcessBuilder process(Path log, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss4m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    }

    /** A FASTA file of {@code n} random sequences of {@code minLen..maxLen} residues, ids s0, s1, … (same seed, same file). */
    public static Path fasta(Path file, int n, int minLen, int maxLen, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(">s").append(i).append('\n');
            int len = minLen + r.nextInt(maxLen - minLen + 1);
            for (int j = 0; j < len; j++) {
                sb.append(RESIDUES.charAt(r.nextInt(RESIDUES.length())));
            }
            sb.append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.US_ASCII);
        return file;
    }
}
