package org.esm2j.schedule;

import org.esm2j.device.DeviceFailureException;
import org.esm2j.device.EncoderDevice;
import org.esm2j.device.MemoryReading;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryMonitorTest {
    private static final long MIB = 1L << 20;

    @Test
    void keepsLatestAndPeakAndFlagsPressureThenStops() throws Exception {
        SimulatedDevice a = SimulatedDevice.memoryOnly(SimulatedDevice.Spec.of("sim:0", 100 * MIB));
        SimulatedDevice b = SimulatedDevice.memoryOnly(SimulatedDevice.Spec.of("sim:1", 100 * MIB));
        RunStats stats = new RunStats();
        stats.device("sim:0", "a");
        MemoryMonitor monitor = new MemoryMonitor(List.of(a, b), Duration.ofMillis(5), 0.05, stats);
        try {
            assertThat(monitor.snapshot("sim:0").latest().freeBytes()).isEqualTo(100 * MIB);
            a.occupyExternal(97 * MIB);
            waitFor(() -> monitor.underPressure("sim:0"));
            assertThat(monitor.snapshot("sim:0").peakUsed()).isEqualTo(97 * MIB);
            assertThat(stats.devices().get("sim:0").memoryPressure).isTrue();
            a.occupyExternal(10 * MIB);
            waitFor(() -> !monitor.underPressure("sim:0"));
            MemoryMonitor.Snapshot s = monitor.snapshot("sim:0");
            assertThat(s.latest().usedBytes()).isEqualTo(10 * MIB);
            assertThat(s.peakUsed()).as("the peak stays").isEqualTo(97 * MIB);
            assertThat(stats.devices().get("sim:0").peakMemoryBytes.get()).isEqualTo(97 * MIB);
            assertThat(stats.devices().get("sim:0").freeMemoryBytes.get()).isEqualTo(90 * MIB);
            assertThat(stats.devices().get("sim:0").memoryUsedBytes.get()).isEqualTo(10 * MIB);
            assertThat(monitor.snapshots().keySet()).containsExactly("sim:0", "sim:1");
            assertThat(monitor.underPressure("sim:1")).isFalse();
        } finally {
            monitor.close();
        }
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)).doesNotContain("esm2j-memory-monitor");
    }

    @Test
    void aFailingReadingKeepsTheLastOne() {
        SimulatedDevice flaky = SimulatedDevice.memoryOnly(SimulatedDevice.Spec.of("sim:0", 100 * MIB));
        boolean[] broken = {false};
        EncoderDevice device = new EncoderDevice() {
            public String id() {
                return "sim:0";
            }

            public String description() {
                return "flaky";
            }

            public java.util.List<org.esm2j.device.SequenceEmbedding> encode(java.util.List<org.esm2j.tokens.TokenizedSequence> b,
                                                                           org.esm2j.device.OutputSpec s) {
                throw new UnsupportedOperationException();
            }

            public long defaultTokenBudget() {
                return 1;
            }

            public MemoryReading memory() {
                if (broken[0]) {
                    throw new DeviceFailureException("sim:0: gone");
                }
                return flaky.memory();
            }

            public void close() {
            }
        };
        try (MemoryMonitor monitor = new MemoryMonitor(List.of(device), Duration.ofSeconds(10), 0.02, null)) {
            MemoryMonitor.Snapshot first = monitor.snapshot("sim:0");
            broken[0] = true;
            monitor.pollOnce();
            assertThat(monitor.snapshot("sim:0")).isSameAs(first);
        }
        assertThatThrownBy(() -> new MemoryMonitor(List.of(device), Duration.ZERO, 0.02, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(2);
        }
    }
}
