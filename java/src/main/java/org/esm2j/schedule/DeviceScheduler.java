package org.esm2j.schedule;

import org.esm2j.Units;
import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.device.AttentionBackend;
import org.esm2j.device.DeviceFailureException;
import org.esm2j.device.EncoderDevice;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.tokens.TokenizedSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Runs batches on every device of the run at once: the GPUs, the CPU, or simulated devices in tests.
 *
 * <p><b>Threads.</b> One platform thread per device, for the whole run (never a virtual thread: device calls
 * block in native code and a CUDA device is driven from one thread). The calling thread only waits.
 *
 * <p><b>Work.</b> A window's batches (longest first) go into one shared queue. A device takes from its own
 * deque first (the pieces it split off a batch), then from the shared queue, then steals from the tail of
 * another device's deque. A batch bigger than a device's token budget is split into pieces under the budget;
 * with heterogeneous GPUs the planner cuts batches for the biggest budget and the smaller cards split them.
 * Each device keeps up to two batches started (so the GPU never waits for the host to unpack results).
 *
 * <p><b>Out of memory.</b> The device's workspace is released, its budget halved, and the same sequences run
 * again in pieces under the new budget; a single sequence is retried once, then handed to the other devices;
 * nothing is ever dropped. Under memory pressure (the monitor sees free memory under its threshold) a sized
 * device lowers its budget by a quarter.
 *
 * <p><b>Failure.</b> A device that throws {@link DeviceFailureException} is taken out of the run; the
 * sequences it held (started, split off, retried) go back to the shared queue for the others. Every
 * sequence is delivered exactly once: only the device that completes a piece hands its results to the sink.
 * When every device has failed the run stops with {@link ExitCode#DEVICE_FAILURE} and each device's reason.
 * Any other exception is a bug or an unusable input and stops the run as it is.
 *
 * <p><b>Budgets.</b> {@code --toks-per-batch} fixes them. Otherwise, before the first window, each device
 * that has a memory wall ({@link EncoderDevice#sizingKey()}) takes its budget from the {@link SizingCache} or
 * finds it with {@link BatchSizer} on sequences as long as the window's longest; the window is then
 * planned once, here ({@link #executeWindow}), for the budgets found.
 *
 * <p><b>Files.</b> This class owns the devices and the windows; {@link Worker} is one device's thread (taking,
 * splitting, out-of-memory handling, failure), {@link Round} one window's shared queue and its end, {@link Piece}
 * the unit of work.
 */
public final class DeviceScheduler implements BatchExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceScheduler.class);
    /** Probe lengths are rounded up to this, so that runs with slightly different inputs share cache entries. */
    private static final int PROBE_LENGTH_STEP = 128;

    /**
     * How the scheduler runs.
     *
     * @param fixedTokenBudget  tokens per batch from {@code --toks-per-batch}; 0 = per device (cache, search or default)
     * @param maxBatchSequences at most this many sequences per batch
     * @param cache             where searched budgets are kept between runs; null = no cache
     * @param checkpoint        the checkpoint's fingerprint (part of the cache key)
     * @param sizer             the budget search
     * @param memoryInterval    how often the memory monitor polls
     * @param pressureFraction  free memory under this fraction of the total is pressure
     * @param attention         the attention backend of devices that have a choice; {@code AUTO}: the faster, measured
     *                          at the device's budget and cached with it ({@link AttentionChooser})
     */
    public record Options(long fixedTokenBudget, int maxBatchSequences, SizingCache cache, String checkpoint,
                          BatchSizer sizer, Duration memoryInterval, double pressureFraction, AttentionBackend attention) {

        public Options {
            if (fixedTokenBudget < 0 || maxBatchSequences < 1) {
                throw new IllegalArgumentException("token budget must be >= 0 and max batch sequences >= 1");
            }
            Objects.requireNonNull(attention, "attention");
        }

        /** Attention chosen by measurement. */
        public Options(long fixedTokenBudget, int maxBatchSequences, SizingCache cache, String checkpoint,
                       BatchSizer sizer, Duration memoryInterval, double pressureFraction) {
            this(fixedTokenBudget, maxBatchSequences, cache, checkpoint, sizer, memoryInterval, pressureFraction, AttentionBackend.AUTO);
        }

        /** The defaults; the attention backend from {@code ESM2J_ATTENTION} (auto when unset). */
        public static Options defaults(long fixedTokenBudget, int maxBatchSequences, SizingCache cache, String checkpoint) {
            return new Options(fixedTokenBudget, maxBatchSequences, cache, checkpoint, new BatchSizer(),
                    MemoryMonitor.DEFAULT_INTERVAL, MemoryMonitor.DEFAULT_PRESSURE_FRACTION, AttentionBackend.fromEnvironment());
        }

        public Options withAttention(AttentionBackend backend) {
            return new Options(fixedTokenBudget, maxBatchSequences, cache, checkpoint, sizer, memoryInterval, pressureFraction, backend);
        }
    }

    private final Options options;
    private final RunStats stats;
    private final RunListener listener;
    private final List<Worker> workers = new ArrayList<>();
    private final MemoryMonitor monitor;
    private final long initialBudget;
    private volatile boolean sized;
    private boolean closed;

    public DeviceScheduler(List<? extends EncoderDevice> devices, Options options, RunStats stats, RunListener listener) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no devices to run on");
        }
        Set<String> ids = new HashSet<>();
        for (EncoderDevice d : devices) {
            if (!ids.add(d.id())) {
                throw new IllegalArgumentException("device " + d.id() + " given twice");
            }
        }
        this.options = options;
        this.stats = stats;
        this.listener = listener;
        long initial = options.fixedTokenBudget();
        if (initial == 0) {
            for (EncoderDevice d : devices) {
                initial = Math.max(initial, d.defaultTokenBudget());
            }
        }
        this.initialBudget = initial;
        for (EncoderDevice d : devices) {
            DeviceStats ds = stats.device(d.id(), d.description());
            ds.weightBytes.set(d.weightBytes());
            ds.memoryBeforeWeightsBytes.set(d.memoryBeforeWeightsBytes());
            workers.add(new Worker(this, d, ds, initial));
        }
        this.monitor = new MemoryMonitor(devices, options.memoryInterval(), options.pressureFraction(), stats);
    }

    /** Every device's arithmetic: the same set gives the same string. */
    @Override
    public String arithmetic() {
        return BatchExecutor.arithmeticOf(workers.stream().map(w -> w.device.arithmetic()));
    }

    Options options() {
        return options;
    }

    RunListener listener() {
        return listener;
    }

    StartupTimeline timeline() {
        return stats.timeline();
    }

    /** Every device's worker, failed ones included (a worker steals from the others). */
    List<Worker> workers() {
        return workers;
    }

    /** The memory monitor of this run (for dashboards). */
    public MemoryMonitor memoryMonitor() {
        return monitor;
    }

    @Override
    public long tokenBudget() {
        if (!sized) {
            return initialBudget;
        }
        long max = 0;
        for (Worker w : workers) {
            if (!w.failed) {
                max = Math.max(max, w.budget);
            }
        }
        return max > 0 ? max : initialBudget;
    }

    /** The budget a device uses now (tests and reports). */
    public long tokenBudget(String deviceId) {
        return worker(deviceId).budget;
    }

    private Worker worker(String deviceId) {
        return workers.stream().filter(w -> w.device.id().equals(deviceId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device " + deviceId));
    }

    /**
     * The run's way in: on the first window the devices are sized for its longest sequence, then each window is
     * planned once, here, for the budgets the devices use and the most sequences every live device accepts.
     */
    @Override
    public synchronized List<SequenceEmbedding> executeWindow(List<TokenizedSequence> window, OutputSpec spec, int maxBatchSequences) {
        if (closed) {
            throw new IllegalStateException("scheduler is closed");
        }
        if (window.isEmpty()) {
            return List.of();
        }
        requireLiveDevice();
        if (!sized) {
            sizeOnce(window.stream().mapToInt(TokenizedSequence::length).max().orElse(2), spec);
        }
        return BatchExecutor.super.executeWindow(window, spec, Math.min(maxBatchSequences, liveMaxSequences()));
    }

    /** Batches planned elsewhere (tests, probes): on the first call they are re-planned for the budgets found. */
    @Override
    public synchronized void execute(List<Batch> batches, OutputSpec spec, Consumer<SequenceEmbedding> sink) {
        if (closed) {
            throw new IllegalStateException("scheduler is closed");
        }
        if (batches.isEmpty()) {
            return;
        }
        requireLiveDevice();
        if (!sized) {
            sizeOnce(batches.stream().mapToInt(Batch::longest).max().orElse(2), spec);
            batches = replan(batches);
        }
        Round round = new Round(batches, spec, sink, workers);
        List<Worker> live = workers.stream().filter(w -> !w.failed).toList();
        round.active = live.size();
        for (Worker w : live) {
            w.post(() -> w.runRound(round));
        }
        round.awaitEnd();
        if (round.fatal != null) {
            if (round.fatal instanceof RuntimeException e) {
                throw e;
            }
            if (round.fatal instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(round.fatal);
        }
        if (round.remaining.get() > 0) {
            throw allFailed();
        }
    }

    private void requireLiveDevice() {
        if (workers.stream().allMatch(w -> w.failed)) {
            throw allFailed();
        }
    }

    private Esm2jException allFailed() {
        StringBuilder sb = new StringBuilder(workers.size() == 1 ? "the device failed: " : "every device failed: ");
        for (int i = 0; i < workers.size(); i++) {
            Worker w = workers.get(i);
            sb.append(i == 0 ? "" : "; ").append(w.failureReason == null ? w.device.id() + ": not started" : w.failureReason);
        }
        return new Esm2jException(ExitCode.DEVICE_FAILURE, sb.toString());
    }

    private List<Batch> replan(List<Batch> batches) {
        List<TokenizedSequence> all = new ArrayList<>();
        for (Batch b : batches) {
            all.addAll(b.sequences());
        }
        return BatchPlanner.plan(all, tokenBudget(), liveMaxSequences());
    }

    /** The most sequences every live device takes in one batch. */
    private int liveMaxSequences() {
        return workers.stream().filter(w -> !w.failed).mapToInt(w -> w.maxSequences).min().orElse(options.maxBatchSequences());
    }

    private void sizeOnce(int longest, OutputSpec spec) {
        sizeDevices(longest, spec);
        // The search filled memory on purpose: what the monitor saw then is not pressure.
        monitor.pollOnce();
        sized = true;
    }

    /** Gives every device its budget (fixed, cached, searched or default), all devices at once. */
    private void sizeDevices(int longest, OutputSpec spec) {
        int length = Math.max(PROBE_LENGTH_STEP, (longest + PROBE_LENGTH_STEP - 1) / PROBE_LENGTH_STEP * PROBE_LENGTH_STEP);
        onEachLiveDevice(w -> w.size(length, spec));
    }

    /**
     * The longest sequence some live device runs alone.
     *
     * @param tokens its tokens ({@link Long#MAX_VALUE}: no limit but the machine's memory, as on the CPU)
     * @param device the device that holds it
     */
    public record Longest(long tokens, String device) {
        public boolean limited() {
            return tokens != Long.MAX_VALUE;
        }
    }

    /**
     * The longest single sequence, in tokens, that some live device can run alone with these outputs, from each device's
     * memory now and its limits ({@link EncoderDevice#longestSequence}, asked on the device's own thread). A limited length
     * is rounded down to the sizing step, so that the budget search for a window whose longest sequence is that long
     * (rounded up to the step) still fits.
     */
    public synchronized Longest longestSequence(OutputSpec spec) {
        if (closed) {
            throw new IllegalStateException("scheduler is closed");
        }
        requireLiveDevice();
        java.util.Map<Worker, Long> each = new java.util.concurrent.ConcurrentHashMap<>();
        onEachLiveDevice(w -> each.put(w, Math.min(w.device.longestSequence(spec), w.limits.maxTokens())));
        Worker best = null;
        for (var e : each.entrySet()) {
            if (!e.getKey().failed && (best == null || e.getValue() > each.get(best))) {
                best = e.getKey();
            }
        }
        if (best == null) {
            throw allFailed();
        }
        long tokens = each.get(best);
        return new Longest(tokens == Long.MAX_VALUE ? tokens : tokens / PROBE_LENGTH_STEP * PROBE_LENGTH_STEP, best.device.id());
    }

    /** Runs {@code task} on every live device's thread at once and waits; a device that fails in it is taken out. */
    private void onEachLiveDevice(java.util.function.Consumer<Worker> task) {
        List<Worker> live = workers.stream().filter(w -> !w.failed).toList();
        CountDownLatch done = new CountDownLatch(live.size());
        Throwable[] fatal = new Throwable[1];
        for (Worker w : live) {
            w.post(() -> {
                try {
                    task.accept(w);
                } catch (DeviceFailureException e) {
                    w.markFailed(e.getMessage());
                } catch (Throwable t) {
                    synchronized (fatal) {
                        fatal[0] = t;
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        awaitUninterruptibly(done);
        synchronized (fatal) {
            if (fatal[0] instanceof RuntimeException e) {
                throw e;
            }
            if (fatal[0] instanceof Error e) {
                throw e;
            }
        }
        requireLiveDevice();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static Esm2jException tooBigForAll(TokenizedSequence s) {
        return new Esm2jException(ExitCode.DEVICE_FAILURE, "sequence '" + s.id() + "' (" + s.residues()
                + " residues) does not fit in the memory of any device even alone; lower {truncation} "
                + "or run it with {device} cpu");
    }

    static String outputsKey(OutputSpec spec) {
        StringBuilder sb = new StringBuilder();
        for (OutputKind k : spec.kinds()) {
            sb.append(sb.isEmpty() ? "" : "+").append(k.cliName());
        }
        return sb + " x" + spec.layerCount() + " layers";
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Worker w : workers) {
            w.stop();
        }
        monitor.close();
        report();
        RuntimeException first = null;
        for (Worker w : workers) {
            try {
                w.device.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            LOG.warn("closing a device failed: {}", first.getMessage());
        }
    }

    /**
     * The end-of-run report of what went wrong and was recovered: devices lost and what they handed back, budgets
     * lowered under memory pressure. (The progress summary prints each device's sequences, rates and OOM retries;
     * all of it is in RunStats for the manifest.)
     */
    private void report() {
        List<String> lost = new ArrayList<>();
        for (Worker w : workers) {
            DeviceStats ds = w.stats;
            LOG.debug("{}: {} sequences in {} batches, {} tokens/s, token budget {} ({}), {} out-of-memory retries", w.device.id(),
                    ds.sequences.sum(), ds.batches.sum(), Units.fixed(ds.tokensPerSecond(), 0), w.budget,
                    ds.budgetSource, ds.oomRetries.sum());
            if (ds.slowGemmFallbacks.get() > 0) {
                LOG.warn("{}: {} matrix products ran on the slow reference kernel (cuBLASLt had no algorithm for their shape); "
                        + "tokens/s is far below what this GPU can do: please report it with the model and --dtype", w.device.id(),
                        ds.slowGemmFallbacks.get());
            }
            if (ds.pressureReductions.sum() > 0) {
                LOG.info("{}: token budget lowered {}x under memory pressure, to {}", w.device.id(), ds.pressureReductions.sum(), w.budget);
            }
            if (w.failureReason != null) {
                lost.add(w.failureReason + (ds.sequencesHandedBack.sum() > 0 ? " (" + ds.sequencesHandedBack.sum()
                        + " unfinished sequences went to the other devices)" : ""));
            }
        }
        if (!lost.isEmpty()) {
            LOG.warn("{} device{} lost during the run: {}", lost.size(), lost.size() == 1 ? "" : "s", String.join("; ", lost));
        }
    }
}
