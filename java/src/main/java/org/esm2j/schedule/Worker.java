package org.esm2j.schedule;

import org.esm2j.Units;
import org.esm2j.device.BatchLimits;
import org.esm2j.device.DeviceFailureException;
import org.esm2j.device.DeviceOutOfMemoryException;
import org.esm2j.device.EncoderDevice;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.PendingBatch;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.tokens.TokenizedSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One device and its thread. */
final class Worker {
    /** The scheduler's logger: the log reads as one scheduler, whichever file a line comes from. */
    private static final Logger LOG = LoggerFactory.getLogger(DeviceScheduler.class);

    private final DeviceScheduler scheduler;
    private final DeviceScheduler.Options options;
    final EncoderDevice device;
    final DeviceStats stats;
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
    /** Tokens per batch now: the one copy (the device statistics read it, the device is told it); only this worker writes it. */
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

    Worker(DeviceScheduler scheduler, EncoderDevice device, DeviceStats stats, long budget) {
        this.scheduler = scheduler;
        this.options = scheduler.options();
        this.device = device;
        this.stats = stats;
        this.limits = device.batchLimits();
        this.maxSequences = limits.clampSequences(options.maxBatchSequences());
        if (maxSequences < options.maxBatchSequences()) {
            LOG.info("{}: --max-batch-sequences {} is above the {} sequences one batch may hold there; using {}",
                    device.id(), options.maxBatchSequences(), limits.maxSequences(), maxSequences);
        }
        this.budget = limits.clampTokens(budget);
        stats.tokenBudgetFrom(() -> this.budget);
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
        long t0 = scheduler.timeline().now();
        try {
            chooseBudget(length, spec);
            AttentionChooser.choose(device, options, stats, length, budget, maxSequences, spec);
        } finally {
            sizedAt = java.time.Instant.now();
            scheduler.timeline().end(device.id() + " " + StartupTimeline.SIZING, t0);
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
        String key = SizingCache.key(deviceKey, options.checkpoint(), length, DeviceScheduler.outputsKey(spec));
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
                Units.fixed(r.nanos() / 1e9, 1));
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
                scheduler.timeline().first(StartupTimeline.FIRST_BATCH_SUBMITTED);
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
                throw DeviceScheduler.tooBigForAll(p.sequences().getFirst());
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
            for (Worker other : scheduler.workers()) {
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
        scheduler.timeline().first(StartupTimeline.FIRST_BATCH_DONE);
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
        scheduler.listener().batchFinished(device.id(), new Batch(s.piece().origin().number(), s.piece().sequences(), s.piece().tokens()), busy);
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
                    throw DeviceScheduler.tooBigForAll(s);
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
        MemoryMonitor.Snapshot s = scheduler.memoryMonitor().snapshot(device.id());
        if (device.sizingKey() == null || s == null || !s.pressure() || s.at().isBefore(sizedAt)) {
            return;
        }
        long now = System.nanoTime();
        long floor = Math.max(1, sizedLength);
        if (budget <= floor || now - lastPressureRelief < 2 * scheduler.memoryMonitor().interval().toNanos()) {
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
