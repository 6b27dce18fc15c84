package org.esm2j.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SizingCacheTest {

    @Test
    void entriesSurviveAndMerge(@TempDir Path dir) {
        Path file = dir.resolve("sub/batch-sizes.json");
        SizingCache a = new SizingCache(file);
        assertThat(a.get("k1")).isEmpty();
        a.put("k1", new SizingCache.Entry(1000, 1100, 128, 7, 1.25));
        new SizingCache(file).put("k2", new SizingCache.Entry(2000, 2200, 256, 3, 0.5));
        SizingCache b = new SizingCache(file);
        assertThat(b.get("k1")).contains(new SizingCache.Entry(1000, 1100, 128, 7, 1.25));
        assertThat(b.get("k2")).contains(new SizingCache.Entry(2000, 2200, 256, 3, 0.5));
        assertThat(b.get("k3")).isEmpty();
    }

    @Test
    void aCorruptFileIsIgnoredThenReplaced(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("batch-sizes.json");
        Files.writeString(file, "{ not json");
        SizingCache cache = new SizingCache(file);
        assertThat(cache.get("k")).isEmpty();
        cache.put("k", new SizingCache.Entry(5, 6, 3, 1, 0));
        assertThat(cache.get("k")).isPresent();
        Files.writeString(file, "{\"something\": \"else\"}");
        assertThat(cache.get("k")).isEmpty();
    }

    @Test
    void anUnwritableLocationIsOnlyAWarning(@TempDir Path dir) throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        SizingCache cache = new SizingCache(blocker.resolve("batch-sizes.json"));
        cache.put("k", new SizingCache.Entry(5, 6, 3, 1, 0));
        assertThat(cache.get("k")).isEmpty();
    }

    @Test
    void concurrentWritersLoseNoEntry(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("batch-sizes.json");
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10; i++) {
                    new SizingCache(file).put("k" + id + "." + i, new SizingCache.Entry(id * 100 + i + 1, 1, 1, 1, 0));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        SizingCache cache = new SizingCache(file);
        for (int t = 0; t < 4; t++) {
            for (int i = 0; i < 10; i++) {
                assertThat(cache.get("k" + t + "." + i)).as("k" + t + "." + i).map(SizingCache.Entry::budget).contains((long) t * 100 + i + 1);
            }
        }
    }
}
