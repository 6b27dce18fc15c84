package org.esm2j.progress;

import org.esm2j.schedule.RunStats;
import org.esm2j.schedule.DeviceStats;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads {@link RunStats} from the progress thread and turns the counters into a {@link RunView} with recent
 * rates. Only this thread calls it; the counters it reads are updated by the device threads.
 */
final class Sampler {
    /** Heap figures (used, max) of this JVM. */
    record Heap(long used, long max) {
        static Heap current() {
            MemoryUsage u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            return new Heap(u.getUsed(), u.getMax() >= 0 ? u.getMax() : Runtime.getRuntime().maxMemory());
        }
    }

    private record DeviceWindows(RateWindow tokens, RateWindow busy) {
    }

    private final RunStats stats;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Supplier<Heap> heap;
    private final long startNanos;
    private final Map<String, DeviceWindows> windows = new HashMap<>();
    private final RateWindow totalTokens;
    private final RateWindow totalResidues;

    Sampler(RunStats stats, long windowNanos) {
        this(stats, windowNanos, System::nanoTime, Heap::current);
    }

    Sampler(RunStats stats, long windowNanos, LongSupplier clock, Supplier<Heap> heap) {
        this.stats = stats;
        this.windowNanos = windowNanos;
        this.clock = clock;
        this.heap = heap;
        this.startNanos = clock.getAsLong() - stats.elapsed().toNanos();
        this.totalTokens = new RateWindow(windowNanos);
        this.totalResidues = new RateWindow(windowNanos);
    }

    RunView sample() {
        long now = clock.getAsLong();
        Heap h = heap.get();
        stats.sampleJvmHeap(h.used());
        List<DeviceStats> devices = stats.devicesInOrder();
        List<DeviceView> views = new ArrayList<>(devices.size());
        long sequences = 0;
        long tokens = 0;
        long batches = 0;
        for (DeviceStats d : devices) {
            DeviceView v = view(d, now, h);
            views.add(v);
            sequences += v.sequences();
            tokens += v.tokens();
            batches += v.batches();
        }
        long residues = tokens - 2 * sequences;
        totalTokens.add(now, tokens, batches);
        totalResidues.add(now, residues, batches);
        return new RunView(now - startNanos, sequences, tokens, residues, stats.expectedSequences(), stats.expectedResidues(),
                totalTokens.perSecond(), totalResidues.perSecond(), List.copyOf(views));
    }

    private DeviceView view(DeviceStats d, long now, Heap h) {
        DeviceWindows w = windows.computeIfAbsent(d.id, id -> new DeviceWindows(new RateWindow(windowNanos), new RateWindow(windowNanos)));
        // Read the batch count first: a batch finishing meanwhile then shows in tokens a tick early, never late.
        long batches = d.batches();
        long tokens = d.tokens();
        long runningSince = d.runningSinceNanos();
        // A batch in flight counts as busy already, or a device deep in one long batch would read 0% busy.
        long busy = d.busyNanos() + (runningSince != 0 ? Math.max(0, now - runningSince) : 0);
        w.tokens.add(now, tokens, batches);
        w.busy.add(now, busy, batches);
        return new DeviceView(d.id, d.description, d.sequences(), tokens, batches, busy,
                w.tokens.perSecond(), Math.clamp(w.busy.perSecond() / 1e9, 0.0, 1.0), memory(d, stats, h),
                d.tokenBudget(), d.oomRetries(), d.failure());
    }

    /** The device's own memory figures when it reports them; for the CPU backend, which works in the JVM heap, the heap. */
    static Memory memory(DeviceStats d, RunStats stats, Heap h) {
        long used = d.memoryUsedBytes();
        long total = d.totalMemoryBytes();
        long peak = d.peakMemoryBytes();
        if (used >= 0 || total >= 0 || peak >= 0) {
            return new Memory(Memory.Kind.DEVICE, used, total, Math.max(peak, used));
        }
        if (runsOnHeap(d)) {
            return new Memory(Memory.Kind.HEAP, h == null ? -1 : h.used(), h == null ? Runtime.getRuntime().maxMemory() : h.max(),
                    stats.jvmHeapPeakBytes());
        }
        return Memory.UNKNOWN;
    }

    static boolean runsOnHeap(DeviceStats d) {
        return d.id.equals("cpu") || d.id.startsWith("cpu:");
    }
}
