package org.esm2j.schedule;

import org.esm2j.device.AttentionBackend;
import org.esm2j.device.AttentionSwitch;
import org.esm2j.device.BatchLimits;
import org.esm2j.device.DeviceContractException;
import org.esm2j.device.DeviceFailureException;
import org.esm2j.device.DeviceOutOfMemoryException;
import org.esm2j.device.EncoderDevice;
import org.esm2j.device.MemoryReading;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.PendingBatch;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.device.cpu.CpuEncoder;
import org.esm2j.device.cuda.CudaDevice;
import org.esm2j.model.EsmWeights;
import org.esm2j.tokens.TokenizedSequence;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A device for tests that behaves like a GPU where it matters to the scheduler — a memory wall, a workspace
 * that stays allocated until released, out-of-memory errors (real ones past the wall, injected ones at chosen
 * or random batches), a failure after N batches, and batches that complete after {@code submit} returns —
 * while the maths is done by the exact CPU encoder, so its embeddings are real and comparable bit for bit.
 *
 * <p>Without weights ({@link #memoryOnly}) it models memory and time only and returns results without arrays:
 * enough for budget-search tests, which would otherwise spend minutes computing probe batches.
 *
 * <p>Memory: {@code weights + workspace + external <= capacity}, where a batch of t tokens in s sequences needs a
 * workspace of {@code t * bytesPerToken + s * bytesPerSequence}; the workspace grows to the largest batch run since
 * it was last released, as a CUDA workspace does.
 *
 * <p>Contract: it obeys the CUDA library's batch limits, read from the same place the GPU device reads them
 * ({@link CudaDevice#LIBRARY_LIMITS}, the bindings' mirror of {@code esm2j.h}), unless a test sets others. Like a
 * {@code CudaDevice}, it sizes its workspace for the token budget it was given (or the batch, if larger), and a
 * workspace or batch past the limits is refused with {@link DeviceContractException}, as the library refuses it.
 * A test double that accepted what the real library refuses let the first GPU run fail on every automatic sizing.
 *
 * <p>Attention ({@link #offeringAttention}): like a {@code CudaDevice} it may offer a choice of backends, each with its
 * own compute time; the backend changes only while no batch is pending, only to one offered, and a backend set to
 * "fall back" runs its batches on flash and says so, as the library does when cuDNN refuses a shape.
 */
public final class SimulatedDevice implements EncoderDevice {

    /**
     * How the simulated device behaves.
     *
     * @param id                 e.g. {@code sim:0}
     * @param capacityBytes      memory capacity
     * @param weightBytes        taken by the model from the start
     * @param bytesPerToken      workspace bytes per token of a batch
     * @param bytesPerSequence   workspace bytes per sequence of a batch
     * @param nanosPerToken      simulated compute time (0: as fast as the CPU encoder goes)
     * @param ceilingFactor      how far off {@link #tokenCeiling} is (1 = exact, 2 = twice the true limit)
     * @param oomAtCalls         batch calls (0-based, counting every submit) that fail with an injected OOM
     * @param randomOomRate      probability of an injected OOM on any other call
     * @param failAfterBatches   the device fails for good after this many successful batches (-1: never)
     * @param asynchronous       submit returns at once and the batch runs (or fails) in await, as on a GPU
     * @param seed               for the random OOMs
     * @param searched           whether its token budget is searched (has a sizing key) like a GPU's
     */
    public record Spec(String id, long capacityBytes, long weightBytes, long bytesPerToken, long bytesPerSequence,
                       long nanosPerToken, double ceilingFactor, Set<Integer> oomAtCalls, double randomOomRate,
                       int failAfterBatches, boolean asynchronous, long seed, boolean searched, BatchLimits limits) {

        /** A well-behaved device of the given capacity: 1 KiB per token, no injected faults. */
        public static Spec of(String id, long capacityBytes) {
            return new Spec(id, capacityBytes, 0, 1024, 0, 0, 1.0, Set.of(), 0, -1, false, 1, true, CudaDevice.LIBRARY_LIMITS);
        }

        public Spec withMemory(long weightBytes, long bytesPerToken, long bytesPerSequence) {
            return new Spec(id, capacityBytes, weightBytes, bytesPerToken, bytesPerSequence, nanosPerToken, ceilingFactor,
                    oomAtCalls, randomOomRate, failAfterBatches, asynchronous, seed, searched, limits);
        }

        public Spec withCeilingFactor(double factor) {
            return new Spec(id, capacityBytes, weightBytes, bytesPerToken, bytesPerSequence, nanosPerToken, factor,
                    oomAtCalls, randomOomRate, failAfterBatches, asynchronous, seed, searched, limits);
        }

        public Spec withFaults(Set<Integer> oomAt, double randomRate, int failAfter, long seed) {
            return new Spec(id, capacityBytes, weightBytes, bytesPerToken, bytesPerSequence, nanosPerToken, ceilingFactor,
                    oomAt, randomRate, failAfter, asynchronous, seed, searched, limits);
        }

        public Spec withTiming(long nanosPerToken, boolean asynchronous) {
            return new Spec(id, capacityBytes, weightBytes, bytesPerToken, bytesPerSequence, nanosPerToken, ceilingFactor,
                    oomAtCalls, randomOomRate, failAfterBatches, asynchronous, seed, searched, limits);
        }

        public Spec withSearch(boolean searched) {
            return new Spec(id, capacityBytes, weightBytes, bytesPerToken, bytesPerSequence, nanosPerToken, ceilingFactor,
                    oomAtCalls, randomOomRate, failAfterBatches, asynchronous, seed, searched, limits);
        }

        /** Other batch limits than the library's (a test of how the scheduler clamps to a device's limits). */
        public Spec withLimits(BatchLimits limits) {
            return new Spec(id, capacityBytes, weightBytes, bytesPerToken, bytesPerSequence, nanosPerToken, ceilingFactor,
                    oomAtCalls, randomOomRate, failAfterBatches, asynchronous, seed, searched, limits);
        }

        /** The largest number of {@code length}-token sequences one batch can hold (memory and limits). */
        public long maxSequencesOf(int length, long externalBytes) {
            long room = capacityBytes - weightBytes - externalBytes;
            long byMemory = Math.max(0, room / (length * bytesPerToken + bytesPerSequence));
            return Math.min(byMemory, Math.min(limits.maxTokens() / length, limits.maxSequences()));
        }
    }

    private final Spec spec;
    private final CpuEncoder encoder;
    private final Random random;
    private final AtomicLong workspaceBytes = new AtomicLong();
    private final AtomicLong externalBytes = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger injectedOoms = new AtomicInteger();
    private final AtomicInteger realOoms = new AtomicInteger();
    private int successfulBatches;
    private boolean failed;
    private volatile long tokenBudget;
    private SimulatedAttention attention;
    private final AtomicInteger pending = new AtomicInteger();

    public SimulatedDevice(Spec spec, EsmWeights weights) {
        this.spec = spec;
        this.encoder = weights == null ? null : new CpuEncoder(weights, 1);
        this.random = new Random(spec.seed());
    }

    /** A simulated device that computes nothing (see the class comment). */
    public static SimulatedDevice memoryOnly(Spec spec) {
        return new SimulatedDevice(spec, null);
    }

    @Override
    public String id() {
        return spec.id();
    }

    @Override
    public String description() {
        return "simulated device, " + (spec.capacityBytes() >> 20) + " MiB, FP32 (CPU maths)";
    }

    @Override
    public List<SequenceEmbedding> encode(List<TokenizedSequence> batch, OutputSpec outputs) {
        return submit(batch, outputs).await();
    }

    @Override
    public PendingBatch submit(List<TokenizedSequence> batch, OutputSpec outputs) {
        checkContract(batch);
        int call = calls.getAndIncrement();
        boolean injectOom = spec.oomAtCalls().contains(call) || (spec.randomOomRate() > 0 && random.nextDouble() < spec.randomOomRate());
        AttentionBackend backend = attention == null ? null : attention.chosen;
        if (!spec.asynchronous()) {
            return completed(run(batch, outputs, injectOom, backend));
        }
        pending.incrementAndGet();
        return () -> {
            try {
                return run(batch, outputs, injectOom, backend);
            } finally {
                pending.decrementAndGet();
            }
        };
    }

    /**
     * What the library checks before it runs anything, in its words: the workspace a {@code CudaDevice} would create
     * for this batch (the budget's tokens, or the batch's if more) and the batch itself within the limits.
     */
    private void checkContract(List<TokenizedSequence> batch) {
        BatchLimits limits = spec.limits();
        long tokens = 0;
        for (TokenizedSequence s : batch) {
            tokens += s.length();
        }
        long capacity = Math.max(tokens, tokenBudget);
        if (capacity > limits.maxTokens() || batch.size() > limits.maxSequences()) {
            throw new DeviceContractException(id(), "creating a workspace for " + capacity + " tokens, " + batch.size() + " sequences",
                    "esm2j_workspace_create: max_tokens " + capacity + " must be in 2.." + limits.maxTokens() + " and max_seqs "
                            + batch.size() + " in 1.." + limits.maxSequences());
        }
    }

    private static PendingBatch completed(List<SequenceEmbedding> results) {
        return () -> results;
    }

    private List<SequenceEmbedding> run(List<TokenizedSequence> batch, OutputSpec outputs, boolean injectOom, AttentionBackend backend) {
        if (failed || (spec.failAfterBatches() >= 0 && successfulBatches >= spec.failAfterBatches())) {
            failed = true;
            throw new DeviceFailureException(id() + ": simulated device failure after " + successfulBatches + " batches");
        }
        if (injectOom) {
            injectedOoms.incrementAndGet();
            throw new DeviceOutOfMemoryException(id() + ": injected out-of-memory error");
        }
        long tokens = 0;
        for (TokenizedSequence s : batch) {
            tokens += s.length();
        }
        long needed = tokens * spec.bytesPerToken() + batch.size() * spec.bytesPerSequence();
        if (needed > workspaceBytes.get()) {
            if (spec.weightBytes() + needed + externalBytes.get() > spec.capacityBytes()) {
                realOoms.incrementAndGet();
                throw new DeviceOutOfMemoryException(id() + ": out of memory: a batch of " + tokens + " tokens in " + batch.size()
                        + " sequences needs " + needed + " bytes, " + freeBytes() + " free");
            }
            workspaceBytes.set(needed);
        }
        long nanosPerToken = spec.nanosPerToken();
        if (backend != null) {
            AttentionBackend ran = attention.fallingBack.contains(backend) ? AttentionBackend.FLASH : backend;
            attention.lastUsed = new AttentionSwitch.Use(ran, ran == backend ? "" : "simulated: " + backend.cliName()
                    + " refused the shape, used flash");
            attention.batches.merge(ran, 1, Integer::sum);
            nanosPerToken = attention.nanosPerToken.get(ran);
        }
        if (nanosPerToken > 0) {
            long end = System.nanoTime() + tokens * nanosPerToken;
            for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }
        List<SequenceEmbedding> results = encoder != null ? encoder.encode(batch, outputs)
                : batch.stream().map(t -> new SequenceEmbedding(t.index(), t.id(), t.residues(), null, null, null, null, null)).toList();
        successfulBatches++;
        return results;
    }

    private long freeBytes() {
        return Math.max(0, spec.capacityBytes() - spec.weightBytes() - workspaceBytes.get() - externalBytes.get());
    }

    @Override
    public long defaultTokenBudget() {
        return CpuDevice.DEFAULT_TOKEN_BUDGET;
    }

    @Override
    public void setTokenBudget(long tokens) {
        tokenBudget = tokens;
        if (workspaceBytes.get() > tokens * spec.bytesPerToken() + tokens / 3 * spec.bytesPerSequence()) {
            workspaceBytes.set(0);
        }
    }

    @Override
    public void releaseWorkspace() {
        workspaceBytes.set(0);
    }

    @Override
    public BatchLimits batchLimits() {
        return spec.limits();
    }

    @Override
    public String sizingKey() {
        return spec.searched() ? "simulated device, " + spec.capacityBytes() + " bytes, " + spec.bytesPerToken() + " bytes/token" : null;
    }

    @Override
    public long tokenCeiling(int sequenceLength, OutputSpec outputs) {
        long room = spec.capacityBytes() - spec.weightBytes() - externalBytes.get();
        return Math.max(sequenceLength, (long) (room / (double) spec.bytesPerToken() * spec.ceilingFactor()));
    }

    /** Exact for its memory model: one sequence of t tokens needs {@code t * bytesPerToken + bytesPerSequence}. */
    @Override
    public long longestSequence(OutputSpec outputs) {
        long room = spec.capacityBytes() - spec.weightBytes() - externalBytes.get() - spec.bytesPerSequence();
        return Math.max(0, Math.min(room / spec.bytesPerToken(), spec.limits().maxTokens()));
    }

    @Override
    public MemoryReading memory() {
        return new MemoryReading(spec.capacityBytes(), freeBytes());
    }

    /**
     * Makes this device offer a choice of attention backends, each computing at its own nanoseconds per token (instead of
     * the spec's); those in {@code fallingBack} run on flash instead and say so. Returns this device.
     */
    public SimulatedDevice offeringAttention(Map<AttentionBackend, Long> nanosPerToken, Set<AttentionBackend> fallingBack) {
        if (!nanosPerToken.containsKey(AttentionBackend.FLASH) || nanosPerToken.containsKey(AttentionBackend.AUTO)) {
            throw new IllegalArgumentException("a device offers flash, and never auto");
        }
        attention = new SimulatedAttention(new EnumMap<>(nanosPerToken), Set.copyOf(fallingBack));
        return this;
    }

    @Override
    public AttentionSwitch attention() {
        return attention;
    }

    /** Batches each backend really ran (after fallbacks). */
    public Map<AttentionBackend, Integer> attentionBatches() {
        return attention == null ? Map.of() : Map.copyOf(attention.batches);
    }

    /** The library's contract for the attention option, as {@code CudaDevice} passes it on. */
    private final class SimulatedAttention implements AttentionSwitch {
        final EnumMap<AttentionBackend, Long> nanosPerToken;
        final Set<AttentionBackend> fallingBack;
        final Map<AttentionBackend, Integer> batches = new java.util.concurrent.ConcurrentHashMap<>();
        volatile AttentionBackend chosen = AttentionBackend.FLASH;
        volatile Use lastUsed;

        SimulatedAttention(EnumMap<AttentionBackend, Long> nanosPerToken, Set<AttentionBackend> fallingBack) {
            this.nanosPerToken = nanosPerToken;
            this.fallingBack = fallingBack;
        }

        @Override
        public List<AttentionBackend> offered() {
            return List.copyOf(nanosPerToken.keySet());
        }

        @Override
        public void set(AttentionBackend backend) {
            if (!nanosPerToken.containsKey(backend)) {
                throw new IllegalArgumentException(id() + " cannot run attention with " + backend.cliName());
            }
            if (pending.get() > 0) {
                throw new IllegalStateException(id() + ": the attention backend changes only when no batch is pending");
            }
            chosen = backend;
        }

        @Override
        public AttentionBackend current() {
            return chosen;
        }

        @Override
        public Use used() {
            return lastUsed;
        }
    }

    /** Memory taken by "another process", to create pressure. */
    public void occupyExternal(long bytes) {
        externalBytes.set(bytes);
    }

    public Spec spec() {
        return spec;
    }

    /** Batches submitted so far, trials of the budget search included. */
    public int calls() {
        return calls.get();
    }

    public int injectedOoms() {
        return injectedOoms.get();
    }

    public int realOoms() {
        return realOoms.get();
    }

    @Override
    public void close() {
        if (encoder != null) {
            encoder.close();
        }
    }
}
