package org.esm2j.schedule;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.Units;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.tokens.TokenizedSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps sequences longer than any GPU of the run can hold away from the GPUs ({@code --long-sequences full}, or no
 * truncation): with {@code --device auto} they run on the CPU, which only the machine's memory limits, at the same time
 * as the GPUs run the others; with {@code --device cuda} the run is refused at the first of them, naming it, its length
 * and the longest that fits. Without this a sequence too long for every GPU ran out of memory on each, twice, before the
 * run stopped with a generic message.
 *
 * <p>The longest sequence the GPUs hold ({@link DeviceScheduler#longestSequence}) is asked once per set of outputs (the
 * windows of {@code --long-sequences window} may add per-token outputs), from each GPU's free memory before its first
 * batch. The CPU is opened only when a sequence needs it. Rows computed there are FP32 (the exact path) among the GPUs'
 * BF16 or FP16 ones; the dataset's arithmetic stays the GPUs'.
 */
public final class LongSequenceRouter implements BatchExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(LongSequenceRouter.class);
    private static final int LOGGED = 10;

    private final DeviceScheduler gpus;
    private final Supplier<BatchExecutor> cpuOpener;
    private final Map<OutputSpec, DeviceScheduler.Longest> longest = new HashMap<>();
    private BatchExecutor cpu;
    private long sentToCpu;

    /**
     * @param gpus      the run's GPUs (or devices with memory limits of their own)
     * @param cpuOpener opens the CPU for the sequences the GPUs cannot hold; null to refuse them instead
     */
    public LongSequenceRouter(DeviceScheduler gpus, Supplier<BatchExecutor> cpuOpener) {
        this.gpus = gpus;
        this.cpuOpener = cpuOpener;
    }

    @Override
    public synchronized List<SequenceEmbedding> executeWindow(List<TokenizedSequence> window, OutputSpec spec, int maxBatchSequences) {
        long limit = longest(spec).tokens();
        if (window.stream().allMatch(s -> s.length() <= limit)) {
            return gpus.executeWindow(window, spec, maxBatchSequences);
        }
        return BatchExecutor.super.executeWindow(window, spec, maxBatchSequences); // plans, then execute() below splits
    }

    @Override
    public synchronized void execute(List<Batch> batches, OutputSpec spec, Consumer<SequenceEmbedding> sink) {
        DeviceScheduler.Longest most = longest(spec);
        List<TokenizedSequence> fits = new ArrayList<>();
        List<TokenizedSequence> tooLong = new ArrayList<>();
        int maxSequences = 1;
        for (Batch b : batches) {
            maxSequences = Math.max(maxSequences, b.size());
            for (TokenizedSequence s : b.sequences()) {
                (s.length() <= most.tokens() ? fits : tooLong).add(s);
            }
        }
        if (tooLong.isEmpty()) {
            gpus.execute(batches, spec, sink);
            return;
        }
        if (cpuOpener == null) {
            throw refusal(tooLong.getFirst(), most);
        }
        for (TokenizedSequence s : tooLong) {
            if (sentToCpu++ < LOGGED) {
                LOG.info("'{}' ({} residues) is longer than the {} residues that fit on {}: it runs on the CPU", s.id(),
                        Units.exact(s.residues()), Units.exact(Math.max(0, most.tokens() - 2)), most.device());
            } else if (sentToCpu == LOGGED + 1) {
                LOG.info("more sequences too long for the GPUs run on the CPU; the summary counts them");
            }
        }
        BatchExecutor onCpu = cpu();
        int perBatch = maxSequences;
        RuntimeException[] cpuFailure = new RuntimeException[1];
        Thread cpuThread = Thread.ofPlatform().name("esm2j-long-on-cpu").daemon().start(() -> {
            try {
                onCpu.execute(BatchPlanner.plan(tooLong, onCpu.tokenBudget(), perBatch), spec, sink);
            } catch (RuntimeException e) {
                cpuFailure[0] = e;
            }
        });
        RuntimeException gpuFailure = null;
        try {
            if (!fits.isEmpty()) {
                gpus.execute(BatchPlanner.plan(fits, gpus.tokenBudget(), perBatch), spec, sink);
            }
        } catch (RuntimeException e) {
            gpuFailure = e;
        }
        if (gpuFailure != null) {
            throw gpuFailure; // the CPU's batch finishes on its own; its results are not wanted
        }
        try {
            cpuThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Esm2jException(ExitCode.INTERRUPTED, "interrupted while the CPU embedded sequences too long for the GPUs");
        }
        if (cpuFailure[0] != null) {
            throw cpuFailure[0];
        }
    }

    /** The longest sequence the GPUs hold with these outputs, asked once. */
    private DeviceScheduler.Longest longest(OutputSpec spec) {
        DeviceScheduler.Longest l = longest.get(spec);
        if (l == null) {
            l = gpus.longestSequence(spec);
            longest.put(spec, l);
            if (l.limited()) {
                LOG.debug("longest sequence the GPUs hold alone with {}: {} tokens ({})", DeviceScheduler.outputsKey(spec),
                        Units.exact(l.tokens()), l.device());
            }
        }
        return l;
    }

    private BatchExecutor cpu() {
        if (cpu == null) {
            cpu = cpuOpener.get();
        }
        return cpu;
    }

    private static Esm2jException refusal(TokenizedSequence s, DeviceScheduler.Longest most) {
        return new Esm2jException(ExitCode.DEVICE_FAILURE, "'" + s.id() + "' has " + Units.exact(s.residues()) + " residues, more than the "
                + Units.exact(Math.max(0, most.tokens() - 2)) + " that fit alone in the memory of " + most.device()
                + " with these outputs; use {longSequences} window, {device} auto (sends it to the CPU) or {device} cpu");
    }

    /** Sequences sent to the CPU so far. */
    public synchronized long sentToCpu() {
        return sentToCpu;
    }

    @Override
    public String arithmetic() {
        return gpus.arithmetic();
    }

    @Override
    public long tokenBudget() {
        return gpus.tokenBudget();
    }

    @Override
    public synchronized void close() {
        RuntimeException first = null;
        if (cpu != null) {
            try {
                cpu.close();
            } catch (RuntimeException e) {
                first = e;
            }
        }
        gpus.close();
        if (first != null) {
            throw first;
        }
    }
}
