package org.esm2j.schedule;

import org.esm2j.device.EncoderDevice;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What one device did. The scheduler's worker and memory monitor (this package) write it; the display, summary and
 * manifest read it through the accessors.
 */
public final class DeviceStats {
    public final String id;
    public final String description;
    final LongAdder sequences = new LongAdder();
    final LongAdder tokens = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder busyNanos = new LongAdder();
    final LongAdder oomRetries = new LongAdder();
    /** Latest device memory in use, from the memory monitor; -1 when the device has no such figure (the CPU). */
    final AtomicLong memoryUsedBytes = new AtomicLong(-1);
    final AtomicLong peakMemoryBytes = new AtomicLong(-1);
    final AtomicLong totalMemoryBytes = new AtomicLong(-1);
    /** Device memory of the weights, and in use before they were loaded ({@link EncoderDevice#weightBytes()}); -1 unknown. */
    final AtomicLong weightBytes = new AtomicLong(-1);
    final AtomicLong memoryBeforeWeightsBytes = new AtomicLong(-1);
    /**
     * {@link System#nanoTime()} when the batch now running on this device started, 0 while idle: lets the
     * display count a long batch as busy time before it finishes.
     */
    final AtomicLong runningSinceNanos = new AtomicLong();
    /**
     * Tokens per batch in force now (lowered after an out-of-memory retry or under memory pressure), read from its
     * one owner, the device's worker; -1 before a worker runs the device.
     */
    private volatile LongSupplier tokenBudget = () -> -1;
    volatile String failure;
    /** Latest free device memory, from the memory monitor; -1 before the first poll and for the CPU. */
    final AtomicLong freeMemoryBytes = new AtomicLong(-1);
    /** Free memory is under the monitor's threshold right now. */
    volatile boolean memoryPressure;
    /** Times the token budget was lowered because of memory pressure. */
    final LongAdder pressureReductions = new LongAdder();
    /** How the token budget was chosen: "--toks-per-batch", "default", "cached", "searched". */
    volatile String budgetSource;
    /** The attention backend in use ({@code cudnn}, {@code flash}, {@code reference}); null on a device without a choice. */
    volatile String attention;
    /** How it was chosen: "measured", "cached", "asked" ({@code ESM2J_ATTENTION}), "only one" (nothing to compare). */
    volatile String attentionSource;
    /** The measurement, when there was one: each backend's batch time ("cudnn 41.2 ms vs flash 48.9 ms per batch of ..."). */
    volatile String attentionMeasurement;
    /** Trial batches and time the budget search took (0 when it did not run). */
    final AtomicLong sizingTrials = new AtomicLong();
    final AtomicLong sizingNanos = new AtomicLong();
    /** Matrix products that ran on a slow fallback kernel (see {@link EncoderDevice#slowGemmFallbacks()}). */
    final AtomicLong slowGemmFallbacks = new AtomicLong();
    /** Sequences this device had in hand when it failed, handed back to the other devices. */
    final LongAdder sequencesHandedBack = new LongAdder();

    DeviceStats(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public long sequences() {
        return sequences.sum();
    }

    public long tokens() {
        return tokens.sum();
    }

    public long batches() {
        return batches.sum();
    }

    public long busyNanos() {
        return busyNanos.sum();
    }

    public long oomRetries() {
        return oomRetries.sum();
    }

    public long memoryUsedBytes() {
        return memoryUsedBytes.get();
    }

    public long peakMemoryBytes() {
        return peakMemoryBytes.get();
    }

    public long totalMemoryBytes() {
        return totalMemoryBytes.get();
    }

    public long runningSinceNanos() {
        return runningSinceNanos.get();
    }

    public long tokenBudget() {
        return tokenBudget.getAsLong();
    }

    /** The worker that owns this device's budget: the figure is read from it, never copied. */
    void tokenBudgetFrom(LongSupplier owner) {
        tokenBudget = owner;
    }

    public long freeMemoryBytes() {
        return freeMemoryBytes.get();
    }

    public long pressureReductions() {
        return pressureReductions.sum();
    }

    public long sizingTrials() {
        return sizingTrials.get();
    }

    public long sizingNanos() {
        return sizingNanos.get();
    }

    public long slowGemmFallbacks() {
        return slowGemmFallbacks.get();
    }

    public long sequencesHandedBack() {
        return sequencesHandedBack.sum();
    }

    public String failure() {
        return failure;
    }

    public boolean memoryPressure() {
        return memoryPressure;
    }

    public String budgetSource() {
        return budgetSource;
    }

    public String attention() {
        return attention;
    }

    /** {@code "cudnn (measured: cudnn 41.2 ms vs flash 48.9 ms per batch of 65,536 tokens)"}; null without a choice. */
    public String attentionSummary() {
        if (attention == null) {
            return null;
        }
        return attention + " (" + attentionSource + (attentionMeasurement != null ? ": " + attentionMeasurement : "") + ")";
    }

    public double tokensPerSecond() {
        long busy = busyNanos.sum();
        return busy == 0 ? 0 : tokens.sum() * 1e9 / busy;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("description", description);
        m.put("sequences", sequences.sum());
        m.put("tokens", tokens.sum());
        m.put("batches", batches.sum());
        m.put("busy_seconds", RunStats.round(busyNanos.sum() / 1e9));
        m.put("tokens_per_second", RunStats.round(tokensPerSecond()));
        if (peakMemoryBytes.get() >= 0) {
            m.put("peak_memory_bytes", peakMemoryBytes.get());
        }
        if (totalMemoryBytes.get() >= 0) {
            m.put("total_memory_bytes", totalMemoryBytes.get());
        }
        if (weightBytes.get() >= 0) {
            m.put("weight_bytes", weightBytes.get());
        }
        if (memoryBeforeWeightsBytes.get() >= 0 && peakMemoryBytes.get() >= 0 && weightBytes.get() >= 0) {
            // What the run added on the device beside its weights: workspace, outputs, library handles.
            m.put("memory_before_weights_bytes", memoryBeforeWeightsBytes.get());
            m.put("activation_memory_bytes", Math.max(0, peakMemoryBytes.get() - memoryBeforeWeightsBytes.get() - weightBytes.get()));
        }
        long budget = tokenBudget();
        if (budget >= 0) {
            m.put("token_budget", budget);
        }
        m.put("oom_retries", oomRetries.sum());
        m.put("slow_gemm_fallbacks", slowGemmFallbacks.get());
        if (failure != null) {
            m.put("failure", failure);
        }
        if (budgetSource != null) {
            m.put("token_budget_source", budgetSource);
        }
        if (attention != null) {
            m.put("attention", attention);
            m.put("attention_source", attentionSource);
            if (attentionMeasurement != null) {
                m.put("attention_measurement", attentionMeasurement);
            }
        }
        if (sizingTrials.get() > 0) {
            m.put("sizing_trials", sizingTrials.get());
            m.put("sizing_seconds", RunStats.round(sizingNanos.get() / 1e9));
        }
        if (pressureReductions.sum() > 0) {
            m.put("memory_pressure_reductions", pressureReductions.sum());
        }
        if (sequencesHandedBack.sum() > 0) {
            m.put("sequences_handed_back", sequencesHandedBack.sum());
        }
        return m;
    }
}
