package org.esm2j;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's reference data lives (copied from the shared test data, see testdata/README.md). */
public final class TestData {
    private TestData() {
    }

    public static Path repo() {
        String p = System.getProperty("esm2j.repo");
        Path root = p != null ? Path.of(p) : Path.of("..");
        if (!Files.isDirectory(root.resolve("testdata"))) {
            root = Path.of(".");
        }
        return root.toAbsolutePath().normalize();
    }

    public static Path dir() {
        return repo().resolve("testdata");
    }

    public static Path tiny() {
        return dir().resolve("esm2-tiny-L2-E64-H4");
    }

    public static Path small() {
        return dir().resolve("esm2-small-L4-E128-H2");
    }

    public static Path proteins() {
        return dir().resolve("proteins.fasta");
    }

    /** Relative L2 error ||a - b|| / ||b||. */
    public static double relL2(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("length " + actual.length + " != expected " + expected.length);
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = actual[i] - (double) expected[i];
            num += d * d;
            den += (double) expected[i] * expected[i];
        }
        return Math.sqrt(num / Math.max(den, 1e-300));
    }
}
