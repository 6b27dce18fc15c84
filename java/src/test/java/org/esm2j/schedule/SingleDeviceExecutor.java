package org.esm2j.schedule;

import org.esm2j.device.EncoderDevice;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;

import java.util.List;
import java.util.function.Consumer;

/** One device, batches in plan order, on the calling thread. */
public final class SingleDeviceExecutor implements BatchExecutor {
    private final EncoderDevice device;
    private final long tokenBudget;
    private final RunStats stats;
    private final RunListener listener;

    public SingleDeviceExecutor(EncoderDevice device, long tokenBudget, RunStats stats, RunListener listener) {
        this.device = device;
        this.tokenBudget = tokenBudget > 0 ? tokenBudget : device.defaultTokenBudget();
        this.stats = stats;
        this.listener = listener;
        stats.device(device.id(), device.description()).tokenBudgetFrom(() -> this.tokenBudget);
    }

    @Override
    public void execute(List<Batch> batches, OutputSpec spec, Consumer<SequenceEmbedding> sink) {
        DeviceStats ds = stats.device(device.id(), device.description());
        for (Batch b : batches) {
            long t0 = System.nanoTime();
            ds.runningSinceNanos.set(t0);
            List<SequenceEmbedding> out;
            long nanos;
            try {
                out = device.encode(b.sequences(), spec);
            } finally {
                // Busy time is added before the batch stops counting as running, so the display never sees it dip.
                nanos = System.nanoTime() - t0;
                ds.busyNanos.add(nanos);
                ds.runningSinceNanos.set(0);
            }
            ds.batches.increment();
            ds.sequences.add(b.size());
            ds.tokens.add(b.tokens());
            out.forEach(sink);
            listener.batchFinished(device.id(), b, nanos);
        }
    }

    @Override
    public long tokenBudget() {
        return tokenBudget;
    }

    @Override
    public void close() {
        device.close();
    }
}
