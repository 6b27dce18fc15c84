package org.esm2j.schedule;

import org.esm2j.device.EncoderDevice;
import org.esm2j.device.MemoryReading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Polls every device's memory on one daemon thread and keeps, per device, the latest reading, the peak use
 * and a pressure flag (free memory under a threshold) in an immutable snapshot that the dashboard and the
 * scheduler read without locking. A poll is one {@code cudaMemGetInfo} per GPU, so the default interval of
 * 1.5 s costs nothing measurable. Closing it stops the thread.
 */
public final class MemoryMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryMonitor.class);
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(1500);
    /** Free memory below this fraction of the capacity is pressure (1.6 GB of an 80 GB card). */
    public static final double DEFAULT_PRESSURE_FRACTION = 0.02;

    /**
     * What is known of one device's memory.
     *
     * @param latest    the last reading
     * @param peakUsed  the most memory in use seen since the monitor started
     * @param pressure  free memory is under the threshold
     * @param at        when the reading of {@code latest} began
     */
    public record Snapshot(MemoryReading latest, long peakUsed, boolean pressure, Instant at) {
    }

    private final List<EncoderDevice> devices;
    private final Duration interval;
    private final double pressureFraction;
    private final RunStats stats;
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<String, Boolean> failedReads = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stopped;

    /** Takes a first reading of every device now, then starts polling. */
    public MemoryMonitor(List<? extends EncoderDevice> devices, Duration interval, double pressureFraction, RunStats stats) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("memory poll interval must be positive, got " + interval);
        }
        this.devices = List.copyOf(devices);
        this.interval = interval;
        this.pressureFraction = pressureFraction;
        this.stats = stats;
        pollOnce();
        this.thread = Thread.ofPlatform().daemon().name("esm2j-memory-monitor").start(this::loop);
    }

    private void loop() {
        while (!stopped) {
            LockSupport.parkNanos(interval.toNanos());
            if (!stopped) {
                pollOnce();
            }
        }
    }

    /** Reads every device once (the thread does this every interval; tests call it to step time). */
    public void pollOnce() {
        for (EncoderDevice d : devices) {
            Instant began = Instant.now();
            MemoryReading r;
            try {
                r = d.memory();
            } catch (RuntimeException e) {
                // A device that fails is the scheduler's business; the monitor keeps its last reading.
                if (failedReads.putIfAbsent(d.id(), Boolean.TRUE) == null) {
                    LOG.debug("{}: memory reading failed: {}", d.id(), e.getMessage());
                }
                continue;
            }
            if (r == null) {
                continue;
            }
            boolean pressure = r.freeBytes() < (long) (pressureFraction * r.totalBytes());
            snapshots.compute(d.id(), (id, previous) -> new Snapshot(r,
                    Math.max(previous == null ? 0 : previous.peakUsed(), r.usedBytes()), pressure, began));
            // The heap is the progress display's to sample (RunStats.jvmHeapPeakBytes): the device fields stay -1 for it.
            if (stats != null && !r.jvmHeap()) {
                DeviceStats ds = stats.devices().get(d.id());
                if (ds != null) {
                    ds.memoryUsedBytes.set(r.usedBytes());
                    ds.totalMemoryBytes.set(r.totalBytes());
                    ds.freeMemoryBytes.set(r.freeBytes());
                    ds.peakMemoryBytes.accumulateAndGet(r.usedBytes(), Math::max);
                    ds.memoryPressure = pressure;
                }
            }
        }
    }

    /** The latest snapshot of a device, or null when it has none (yet). */
    public Snapshot snapshot(String deviceId) {
        return snapshots.get(deviceId);
    }

    /** Every device's latest snapshot, in device order. */
    public Map<String, Snapshot> snapshots() {
        Map<String, Snapshot> m = new LinkedHashMap<>();
        for (EncoderDevice d : devices) {
            Snapshot s = snapshots.get(d.id());
            if (s != null) {
                m.put(d.id(), s);
            }
        }
        return m;
    }

    public boolean underPressure(String deviceId) {
        Snapshot s = snapshots.get(deviceId);
        return s != null && s.pressure();
    }

    public Duration interval() {
        return interval;
    }

    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(interval.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
