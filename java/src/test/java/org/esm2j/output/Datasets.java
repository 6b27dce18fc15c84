package org.esm2j.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on finished npy datasets. */
public final class Datasets {
    private Datasets() {
    }

    /** Both are finished datasets with the same rows: same array files byte for byte, same ids.txt. */
    public static void assertSameData(Path actual, Path expected) throws IOException {
        assertComplete(actual);
        assertComplete(expected);
        Map<String, Object> a = Manifest.read(actual.resolve(Manifest.FILE));
        Map<String, Object> e = Manifest.read(expected.resolve(Manifest.FILE));
        assertThat(a.get("rows")).isEqualTo(e.get("rows"));
        assertThat(((Map<?, ?>) a.get("arrays")).keySet()).isEqualTo(((Map<?, ?>) e.get("arrays")).keySet());
        assertThat(Files.readAllBytes(actual.resolve("ids.txt"))).as("ids.txt").isEqualTo(Files.readAllBytes(expected.resolve("ids.txt")));
        for (Object info : ((Map<?, ?>) e.get("arrays")).values()) {
            String file = String.valueOf(((Map<?, ?>) info).get("file"));
            assertThat(Files.mismatch(actual.resolve(file), expected.resolve(file))).as(file + ": first differing byte").isEqualTo(-1L);
        }
    }

    /** A finished dataset: a manifest, no parts directory, nothing half-written. */
    public static void assertComplete(Path dir) throws IOException {
        assertThat(dir.resolve(Manifest.FILE)).isRegularFile();
        assertThat(dir.resolve(NpyDatasetWriter.PARTS)).doesNotExist();
        assertThat(partials(dir)).isEmpty();
    }

    /** Every file or directory under {@code dir} whose name ends in .partial. */
    public static List<Path> partials(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".partial")).toList();
        }
    }

    /** The ids of a finished dataset, in row order. */
    public static List<String> ids(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("ids.txt"));
    }

    /** Finished part directories of an interrupted run. */
    public static List<Path> finishedParts(Path dir) throws IOException {
        Path parts = dir.resolve(NpyDatasetWriter.PARTS);
        if (!Files.isDirectory(parts)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(parts)) {
            return s.filter(p -> p.getFileName().toString().matches("part-\\d{6}")).sorted().toList();
        }
    }
}
