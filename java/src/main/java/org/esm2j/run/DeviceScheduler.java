package org.esm2j.run;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.model.OutputKind;
import org.esm2j.model.OutputSpec;
import org.esm2j.model.SequenceEmbedding;
import org.esm2j.model.TokenizedSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * re-planned for the budgets found.
 */
public final class DeviceScheduler implements BatchExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceScheduler.class);
    private static final long IDLE_WAIT_MILLIS = 50;
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
     */
    public record Options(long fixedTokenBudget, int maxBatchSequences, SizingCache cache, String checkpoint,
                          BatchSizer sizer, Duration memoryInterval, double pressureFraction) {

        public Options {
            if (fixedTokenBudget < 0 || maxBatchSequences < 1) {
                throw new IllegalArgumentException("token budget must be >= 0 and max batch sequences >= 1");
            }
        }

        public static Options defaults(long fixedTokenBudget, int maxBatchSequences, SizingCache cache, String checkpoint) {
            return new Options(fixedTokenBudget, maxBatchSequences, cache, checkpoint, new BatchSizer(),
                    MemoryMonitor.DEFAULT_INTERVAL, MemoryMonitor.DEFAULT_PRESSURE_FRACTION);
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
            workers.add(new Worker(d, stats.device(d.id(), d.description()), initial));
        }
        this.monitor = new MemoryMonitor(devices, options.memoryInterval(), options.pressureFraction(), stats);
    }

    /** Every device's arithmetic: the same set gives the same string. */
    @Override
    public String arithmetic() {
        return BatchExecutor.arithmeticOf(workers.stream().map(w -> w.device.arithmetic()));
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
            int longest = batches.stream().mapToInt(Batch::longest).max().orElse(2);
            sizeDevices(longest, spec);
            // The search filled memory on purpose: what the monitor saw then is not pressure.
            monitor.pollOnce();
            sized = true;
            batches = replan(batches);
        }
        Round round = new Round(batches, spec, sink);
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
        int sequences = workers.stream().filter(w -> !w.failed).mapToInt(w -> w.maxSequences).min().orElse(options.maxBatchSequences());
        return BatchPlanner.plan(all, tokenBudget(), sequences);
    }

    /** Gives every device its budget (fixed, cached, searched or default), all devices at once. */
    private void sizeDevices(int longest, OutputSpec spec) {
        int length = Math.max(PROBE_LENGTH_STEP, (longest + PROBE_LENGTH_STEP - 1) / PROBE_LENGTH_STEP * PROBE_LENGTH_STEP);
        List<Worker> live = workers.stream().filter(w -> !w.failed).toList();
        CountDownLatch done = new CountDownLatch(live.size());
        Throwable[] fatal = new Throwable[1];
        for (Worker w : live) {
            w.post(() -> {
                try {
                    w.size(length, spec);
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

    private static Esm2jException tooBigForAll(TokenizedSequence s) {
        return new Esm2jException(ExitCode.DEVICE_FAILURE, "sequence '" + s.id() + "' (" + s.residues()
                + " residues) does not fit in the memory of any device even alone; lower --truncation-seq-length "
                + "or run it with --device cpu");
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
            RunStats.DeviceStats ds = w.stats;
            LOG.debug("{}: {} sequences in {} batches, {} tokens/s, token budget {} ({}), {} out-of-memory retries", w.device.id(),
                    ds.sequences.sum(), ds.batches.sum(), String.format(Locale.ROOT, "%.0f", ds.tokensPerSecond()), w.budget,
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

    // ---------------------------------------------------------------------------------------------------------

    /** Some sequences of a planned batch that one device runs together. */
    private record Piece(Batch origin, List<TokenizedSequence> sequences, long tokens, int singleRetries, Set<String> refusedBy) {

        static Piece of(Batch origin, List<TokenizedSequence> sequences) {
            long t = 0;
            for (TokenizedSequence s : sequences) {
                t += s.length();
            }
            return new Piece(origin, List.copyOf(sequences), t, 0, Set.of());
        }

        int size() {
            return sequences.size();
        }

        int longest() {
            int m = 0;
            for (TokenizedSequence s : sequences) {
                m = Math.max(m, s.length());
            }
            return m;
        }

        Piece retried() {
            return new Piece(origin, sequences, tokens, singleRetries + 1, refusedBy);
        }

        Piece refusedBy(String deviceId) {
            Set<String> r = new HashSet<>(refusedBy);
            r.add(deviceId);
            return new Piece(origin, sequences, tokens, 0, Set.copyOf(r));
        }
    }

    /** One window: its work, its progress, and how it ends. */
    private final class Round {
        final OutputSpec spec;
        final Consumer<SequenceEmbedding> sink;
        final ConcurrentLinkedDeque<Piece> shared = new ConcurrentLinkedDeque<>();
        final AtomicLong remaining = new AtomicLong();
        final Object lock = new Object();
        volatile Throwable fatal;
        int active; // workers still in this round, guarded by lock

        Round(List<Batch> batches, OutputSpec spec, Consumer<SequenceEmbedding> sink) {
            this.spec = spec;
            this.sink = sink;
            long n = 0;
            for (Batch b : batches) {
                shared.add(Piece.of(b, b.sequences()));
                n += b.size();
            }
            remaining.set(n);
        }

        boolean over() {
            return remaining.get() == 0 || fatal != null;
        }

        void delivered(int n) {
            if (remaining.addAndGet(-n) == 0) {
                wake();
            }
        }

        void requeue(List<Piece> pieces) {
            for (Piece p : pieces) {
                shared.addFirst(p);
            }
            wake();
        }

        void abort(Throwable t) {
            synchronized (lock) {
                if (fatal == null) {
                    fatal = t;
                }
                lock.notifyAll();
            }
        }

        void wake() {
            synchronized (lock) {
                lock.notifyAll();
            }
        }

        void idleWait() {
            synchronized (lock) {
                if (!over()) {
                    try {
                        lock.wait(IDLE_WAIT_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        abort(new Esm2jException(ExitCode.INTERRUPTED, "interrupted"));
                    }
                }
            }
        }

        void left() {
            synchronized (lock) {
                active--;
                lock.notifyAll();
            }
        }

        /** Waits until every worker has left the round (done, failed, or stopped by a fatal error). */
        void awaitEnd() {
            boolean interrupted = false;
            synchronized (lock) {
                while (active > 0) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                        if (fatal == null) {
                            fatal = new Esm2jException(ExitCode.INTERRUPTED, "interrupted");
                        }
                        lock.notifyAll();
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** True when every live device has refused the piece (it does not fit in any of them even alone). */
        boolean refusedByAll(Piece p) {
            for (Worker w : workers) {
                if (!w.failed && !p.refusedBy().contains(w.device.id())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** One device and its thread. */
    private final class Worker {
        final EncoderDevice device;
        final RunStats.DeviceStats stats;
        final ConcurrentLinkedDeque<Piece> local = new ConcurrentLinkedDeque<>();
        final LinkedBlockingQueue<Runnable> mailbox = new LinkedBlockingQueue<>();
        final Thread thread;
        /** Pieces taken and not delivered: what goes back to the others if this device fails. */
        final List<Piece> inHand = new ArrayList<>();
        /** Pieces whose batch ran out of memory, handled once nothing is in flight. */
        final List<Piece> outOfMemory = new ArrayList<>();
        /** What the device accepts at most (a GPU: the CUDA library's limits); every budget is clamped to it. */
        final BatchLimits limits;
        /** {@code --max-batch-sequences}, clamped to {@link #limits}. */
        final int maxSequences;
        private boolean clampLogged;
        volatile long budget;
        volatile boolean failed;
        volatile String failureReason;
        int sizedLength;
        long lastPressureRelief;
        /** Readings begun before this are from the budget search, which fills memory on purpose. */
        java.time.Instant sizedAt = java.time.Instant.MIN;
        long lastBusyEnd;
        boolean oomLogged;
        boolean pressureLogged;
        private volatile boolean stopping;

        Worker(EncoderDevice device, RunStats.DeviceStats stats, long budget) {
            this.device = device;
            this.stats = stats;
            this.limits = device.batchLimits();
            this.maxSequences = limits.clampSequences(options.maxBatchSequences());
            if (maxSequences < options.maxBatchSequences()) {
                LOG.info("{}: --max-batch-sequences {} is above the {} sequences one batch may hold there; using {}",
                        device.id(), options.maxBatchSequences(), limits.maxSequences(), maxSequences);
            }
            this.budget = limits.clampTokens(budget);
            stats.tokenBudget.set(this.budget);
            this.thread = Thread.ofPlatform().name("esm2j-device-" + device.id()).daemon().start(this::loop);
        }

        private void loop() {
            while (!stopping) {
                try {
                    mailbox.take().run();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void post(Runnable task) {
            mailbox.add(task);
        }

        void stop() {
            stopping = true;
            mailbox.add(() -> {
            });
            try {
                thread.join(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void markFailed(String reason) {
            failureReason = reason.startsWith(device.id()) ? reason : device.id() + ": " + reason;
            stats.failure = failureReason;
            failed = true;
        }

        // ---- sizing ----

        void size(int length, OutputSpec spec) {
            sizedLength = length;
            try {
                chooseBudget(length, spec);
            } finally {
                sizedAt = java.time.Instant.now();
            }
        }

        private void chooseBudget(int length, OutputSpec spec) {
            if (options.fixedTokenBudget() > 0) {
                stats.budgetSource = "--toks-per-batch";
                setBudget(options.fixedTokenBudget());
                return;
            }
            String deviceKey = device.sizingKey();
            if (deviceKey == null) {
                setBudget(device.defaultTokenBudget());
                stats.budgetSource = "default";
                return;
            }
            String key = SizingCache.key(deviceKey, options.checkpoint(), length, outputsKey(spec));
            if (options.cache() != null) {
                var cached = options.cache().get(key);
                if (cached.isPresent()) {
                    stats.budgetSource = "cached";
                    setBudget(Math.max(length, cached.get().budget()));
                    LOG.info("{}: token budget {} for {}-token sequences, from {} (delete it to search again)",
                            device.id(), budget, length, options.cache().file());
                    return;
                }
            }
            BatchSizer.Result r = options.sizer().search(device, length, maxSequences, spec);
            device.releaseWorkspace();
            stats.budgetSource = "searched";
            setBudget(r.budget());
            stats.sizingTrials.set(r.trials());
            stats.sizingNanos.set(r.nanos());
            LOG.info("{}: token budget {} ({} tokens of {}-token sequences ran, less {}% margin; {} trials, {} s)",
                    device.id(), r.budget(), r.limitTokens(), length, Math.round(BatchSizer.DEFAULT_MARGIN * 100), r.trials(),
                    String.format(Locale.ROOT, "%.1f", r.nanos() / 1e9));
            if (options.cache() != null) {
                options.cache().put(key, new SizingCache.Entry(r.budget(), r.limitTokens(), length, r.trials(), r.nanos() / 1e9));
            }
        }

        /** The budget from now on: a fixed, cached or searched one above the device's limit is clamped, with one log line. */
        void setBudget(long tokens) {
            long clamped = limits.clampTokens(Math.max(1, tokens));
            if (clamped < tokens && !clampLogged) {
                clampLogged = true;
                LOG.info("{}: token budget {} ({}) is above the {} tokens one batch may hold there; using {}", device.id(), tokens,
                        stats.budgetSource == null ? "asked" : stats.budgetSource, limits.maxTokens(), clamped);
            }
            budget = clamped;
            stats.tokenBudget.set(budget);
            device.setTokenBudget(budget);
        }

        // ---- one window ----

        /** A piece on the device, not yet awaited. */
        private record Started(Piece piece, PendingBatch pending, long startNanos) {
        }

        void runRound(Round round) {
            Started inFlight = null;
            local.clear();
            inHand.clear();
            outOfMemory.clear();
            try {
                while (!round.over()) {
                    if (!outOfMemory.isEmpty()) {
                        if (inFlight != null) {
                            complete(round, inFlight, false);
                            inFlight = null;
                        }
                        handleOutOfMemory(round);
                        continue;
                    }
                    Piece next = take(round);
                    if (next == null) {
                        if (inFlight != null) {
                            complete(round, inFlight, false);
                            inFlight = null;
                        } else {
                            round.idleWait();
                        }
                        continue;
                    }
                    if (inFlight == null) {
                        relieveMemoryPressure();
                    }
                    next = fitToBudget(round, next);
                    Started started;
                    long startNanos = System.nanoTime();
                    // Before submit: a synchronous device (the CPU) does the whole batch inside it.
                    stats.runningSinceNanos.compareAndSet(0, startNanos);
                    try {
                        started = new Started(next, device.submit(next.sequences(), round.spec), startNanos);
                    } catch (DeviceOutOfMemoryException e) {
                        outOfMemory.add(next);
                        logOutOfMemory(next, e);
                        if (inFlight == null) {
                            stats.runningSinceNanos.set(0);
                        }
                        continue;
                    }
                    if (inFlight != null) {
                        complete(round, inFlight, true);
                    }
                    inFlight = started;
                    if (started.pending() instanceof PendingBatch.Done) {
                        // Nothing to overlap on a synchronous device: deliver now, not after the next batch has run.
                        complete(round, started, false);
                        inFlight = null;
                    }
                }
                if (inFlight != null) {
                    // The round was stopped by an error elsewhere: let the device finish what it started.
                    try {
                        inFlight.pending().await();
                    } catch (RuntimeException ignored) {
                        // The run is failing already; this batch's outcome changes nothing.
                    }
                }
            } catch (DeviceFailureException e) {
                fail(round, e);
            } catch (Throwable t) {
                round.abort(t);
            } finally {
                stats.runningSinceNanos.set(0);
                try {
                    stats.slowGemmFallbacks.set(device.slowGemmFallbacks());
                } catch (RuntimeException ignored) {
                    // A lost device cannot be asked; its count stays as last read.
                }
                round.left();
            }
        }

        /** Own deque first, then the shared queue, then the tail of another device's deque. */
        private Piece take(Round round) {
            Piece p = local.pollFirst();
            if (p != null) {
                inHand.add(p);
                return p;
            }
            List<Piece> notForMe = null;
            while ((p = round.shared.pollFirst()) != null) {
                if (!p.refusedBy().contains(device.id())) {
                    break;
                }
                if (round.refusedByAll(p)) {
                    // The devices that could have taken it have failed since.
                    throw tooBigForAll(p.sequences().getFirst());
                }
                if (notForMe == null) {
                    notForMe = new ArrayList<>();
                }
                notForMe.add(p);
            }
            if (notForMe != null) {
                notForMe.forEach(round.shared::addLast);
            }
            if (p == null) {
                for (Worker other : workers) {
                    if (other != this && (p = other.local.pollLast()) != null) {
                        if (!p.refusedBy().contains(device.id())) {
                            break;
                        }
                        other.local.addLast(p);
                        p = null;
                    }
                }
            }
            if (p != null) {
                inHand.add(p);
            }
            return p;
        }

        /** Splits a piece bigger than the budget; the rest goes to the front of the own deque (others may steal it). */
        private Piece fitToBudget(Round round, Piece p) {
            if ((p.tokens() <= budget && p.size() <= maxSequences) || p.size() == 1) {
                return p;
            }
            List<Piece> parts = split(p, budget);
            inHand.remove(p);
            for (int i = parts.size() - 1; i >= 1; i--) {
                local.addFirst(parts.get(i));
            }
            round.wake();
            inHand.add(parts.getFirst());
            return parts.getFirst();
        }

        private List<Piece> split(Piece p, long tokens) {
            List<Piece> parts = new ArrayList<>();
            for (Batch b : BatchPlanner.plan(p.sequences(), Math.max(1, tokens), maxSequences)) {
                parts.add(Piece.of(p.origin(), b.sequences()));
            }
            return parts;
        }

        /**
         * Awaits a started piece and delivers its results. Busy time is counted without overlap (from the later
         * of its start and the previous completion); {@code moreInFlight}: another piece is on the device already,
         * so the device stays busy (the display's {@code runningSinceNanos}) from now on.
         */
        private void complete(Round round, Started s, boolean moreInFlight) {
            List<SequenceEmbedding> results;
            try {
                results = s.pending().await();
            } catch (DeviceOutOfMemoryException e) {
                outOfMemory.add(s.piece());
                logOutOfMemory(s.piece(), e);
                stats.runningSinceNanos.set(moreInFlight ? System.nanoTime() : 0);
                return;
            }
            if (results.size() != s.piece().size()) {
                throw new IllegalStateException(device.id() + " returned " + results.size() + " results for " + s.piece().size() + " sequences");
            }
            long now = System.nanoTime();
            long busy = now - Math.max(s.startNanos(), lastBusyEnd);
            lastBusyEnd = now;
            for (SequenceEmbedding e : results) {
                round.sink.accept(e);
            }
            inHand.remove(s.piece());
            // Busy time first, then the running mark: the display never sees the device's busy time dip.
            stats.busyNanos.add(busy);
            stats.runningSinceNanos.set(moreInFlight ? now : 0);
            stats.batches.increment();
            stats.sequences.add(s.piece().size());
            stats.tokens.add(s.piece().tokens());
            listener.batchFinished(device.id(), new Batch(s.piece().origin().number(), s.piece().sequences(), s.piece().tokens()), busy);
            // bench/compare reads these lines (from --log-file, millisecond timestamps): time to first result, tokens/s after it.
            LOG.debug("batch {} done on {}: {} sequences, {} tokens in {} ms", s.piece().origin().number(), device.id(),
                    s.piece().size(), s.piece().tokens(), busy / 1_000_000);
            round.delivered(s.piece().size());
        }

        private void logOutOfMemory(Piece p, RuntimeException e) {
            stats.oomRetries.increment();
            if (!oomLogged) {
                oomLogged = true;
                LOG.warn("{}: out of memory on {} tokens in {} sequences ({}); releasing the workspace and retrying in smaller batches",
                        device.id(), p.tokens(), p.size(), e.getMessage());
            } else {
                LOG.debug("{}: out of memory on {} tokens in {} sequences: {}", device.id(), p.tokens(), p.size(), e.getMessage());
            }
        }

        /** Nothing is in flight: release the workspace, halve, and put the pieces back (never drop one). */
        private void handleOutOfMemory(Round round) {
            device.releaseWorkspace();
            for (Piece p : outOfMemory) {
                inHand.remove(p);
                if (p.size() > 1) {
                    long halved = Math.max(p.longest(), p.tokens() / 2);
                    // Only a batch near the budget says the budget is too big; a small one that failed is retried
                    // in halves without dragging the budget down with it.
                    if (p.tokens() > budget / 2 && halved < budget) {
                        budget = halved;
                        stats.tokenBudget.set(budget);
                    }
                    List<Piece> parts = split(p, halved);
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        local.addFirst(parts.get(i));
                    }
                } else if (p.singleRetries() < 1) {
                    local.addFirst(p.retried());
                } else {
                    TokenizedSequence s = p.sequences().getFirst();
                    Piece refused = p.refusedBy(device.id());
                    if (round.refusedByAll(refused)) {
                        throw tooBigForAll(s);
                    }
                    LOG.warn("{}: sequence '{}' ({} residues) does not fit even alone; handing it to another device",
                            device.id(), s.id(), s.residues());
                    round.requeue(List.of(refused));
                }
            }
            outOfMemory.clear();
            device.setTokenBudget(budget);
            round.wake();
        }

        /** Lowers a sized device's budget by a quarter while free memory is under the threshold. */
        private void relieveMemoryPressure() {
            MemoryMonitor.Snapshot s = monitor.snapshot(device.id());
            if (device.sizingKey() == null || s == null || !s.pressure() || s.at().isBefore(sizedAt)) {
                return;
            }
            long now = System.nanoTime();
            long floor = Math.max(1, sizedLength);
            if (budget <= floor || now - lastPressureRelief < 2 * monitor.interval().toNanos()) {
                return;
            }
            lastPressureRelief = now;
            long lowered = Math.max(floor, budget * 3 / 4);
            stats.pressureReductions.increment();
            String message = device.id() + ": memory pressure (" + (s.latest().freeBytes() >> 20) + " MiB free of "
                    + (s.latest().totalBytes() >> 20) + " MiB): token budget " + budget + " -> " + lowered;
            if (!pressureLogged) {
                pressureLogged = true;
                LOG.warn(message);
            } else {
                LOG.debug(message);
            }
            setBudget(lowered);
        }

        /** Takes the device out and gives everything it held back to the others. */
        private void fail(Round round, DeviceFailureException e) {
            markFailed(e.getMessage());
            List<Piece> back = new ArrayList<>(inHand);
            for (Piece p : outOfMemory) {
                if (!back.contains(p)) {
                    back.add(p);
                }
            }
            Piece p;
            while ((p = local.pollFirst()) != null) {
                back.add(p);
            }
            long sequences = back.stream().mapToLong(Piece::size).sum();
            stats.sequencesHandedBack.add(sequences);
            inHand.clear();
            outOfMemory.clear();
            LOG.warn("{} failed: {}; its {} unfinished sequences go to the other devices", device.id(), e.getMessage(), sequences);
            try {
                device.releaseWorkspace();
            } catch (RuntimeException ignored) {
                // The device is gone; freeing its memory may fail too.
            }
            round.requeue(back);
        }
    }
}
