package org.esm2j.progress;

import org.esm2j.schedule.DeviceStatsWriter;
import org.esm2j.schedule.RunStats;
import org.esm2j.schedule.DeviceStats;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SummaryTest {
    private static final long S = 1_000_000_000L;

    private static RunStats twoGpus() {
        RunStats stats = new RunStats();
        DeviceStatsWriter.inputCounts(stats, 3000, 830_904, 12, 3, 4, 1, 1);
        for (int i = 0; i < 2; i++) {
            DeviceStats d = stats.device("cuda:" + i, "H100");
            DeviceStatsWriter.work(d, 1500, 418_452, 9 * S, 20);
            DeviceStatsWriter.memoryPeak(d, 70L << 30);
            DeviceStatsWriter.memoryTotal(d, 80L << 30);
            DeviceStatsWriter.tokenBudget(d, 65_536);
            DeviceStatsWriter.oomRetries(d, i);
        }
        DeviceStatsWriter.failed(stats.device("cuda:1", ""), "CUDA error 700:\n illegal address");
        return stats;
    }

    @Test
    void tablesEachDeviceAndTheRunWithExactCounts() {
        List<String> lines = Summary.lines(twoGpus(), 10 * S);
        assertThat(lines.getFirst()).isEqualTo("summary: 3,000 sequences written (830,904 residues, 836,904 tokens) in 10.0s, 83.7K tok/s");
        assertThat(lines.get(1)).contains("device", "sequences", "tokens", "busy", "tok/s", "peak memory", "tokens/batch", "OOM retries");
        assertThat(lines.get(2)).startsWith("  cuda:0").contains("1,500", "418,452", "9.0s (90%)", "46.5K", "70.0G of 80.0G", "65,536");
        assertThat(lines.get(3)).startsWith("  cuda:1").endsWith(" 1");
        assertThat(lines.get(4)).startsWith("  all").contains("3,000", "836,904", "10.0s wall", "83.7K").endsWith(" 1");
        assertThat(lines).contains("  cuda:1 failed: CUDA error 700: illegal address",
                "  unknown letters mapped to <unk>: 12 in 3 sequences",
                "  sequences truncated to --truncation-seq-length: 4",
                "  records skipped: 2 (1 empty, 1 duplicate id)");
        int tokensEnd = lines.get(1).indexOf("tokens") + "tokens".length();
        assertThat(lines.subList(1, 5)).allSatisfy(l -> assertThat(l.charAt(tokensEnd - 1)).isNotEqualTo(' '));
    }

    @Test
    void aCpuRunShowsItsHeapPeakAndSaysNoneForCleanInput() {
        RunStats stats = new RunStats();
        DeviceStatsWriter.inputCounts(stats, 1, 0, 0, 0, 0, 0, 0);
        DeviceStats cpu = stats.device("cpu", "CPU");
        DeviceStatsWriter.work(cpu, 1, 12, S / 2, 0);
        stats.sampleJvmHeap(369L << 20);
        List<String> lines = Summary.lines(stats, S);
        assertThat(lines.getFirst()).startsWith("summary: 1 sequence written");
        assertThat(lines.get(2)).startsWith("  cpu").contains("heap 369M of ");
        assertThat(lines).noneMatch(l -> l.startsWith("  all"))
                .contains("  unknown letters mapped to <unk>: none", "  sequences truncated to --truncation-seq-length: none",
                        "  records skipped: none");
    }

    @Test
    void theManifestCarriesTheSameFigures() {
        RunStats stats = twoGpus();
        stats.sampleJvmHeap(1L << 30);
        Map<String, Object> m = stats.toMap();
        assertThat(m).containsEntry("unknown_letters", 12L).containsEntry("truncated_sequences", 4L)
                .containsEntry("skipped_empty", 1L).containsEntry("skipped_duplicate", 1L)
                .containsEntry("jvm_heap_peak_bytes", 1L << 30).containsKeys("started", "wall_seconds", "jvm_heap_max_bytes");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> devices = (List<Map<String, Object>>) m.get("devices");
        assertThat(devices).extracting(d -> d.get("id")).containsExactly("cuda:0", "cuda:1");
        assertThat(devices.get(1)).containsEntry("oom_retries", 1L).containsEntry("peak_memory_bytes", 70L << 30)
                .containsEntry("token_budget", 65_536L).containsKey("busy_fraction").containsEntry("failure", "CUDA error 700:\n illegal address");
    }
}
