package org.esm2j.device.cuda;

import org.esm2j.device.BatchLimits;
import org.esm2j.device.DeviceFailureException;
import org.esm2j.device.DeviceOutOfMemoryException;
import org.esm2j.device.EncoderDevice;
import org.esm2j.device.MemoryReading;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.PendingBatch;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.device.cuda.ffi.CudaRuntimeH;
import org.esm2j.device.cuda.ffi.Esm2jH;
import org.esm2j.model.EsmConfig;
import org.esm2j.model.EsmWeights;
import org.esm2j.tokens.TokenizedSequence;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * One GPU running the forward pass through libesm2j.
 *
 * <p><b>Weights</b> are uploaded tensor by tensor straight from the memory-mapped checkpoint (F32, F16 or BF16
 * as stored; the library converts on the device), so the checkpoint may be closed afterwards.
 *
 * <p><b>Pipeline.</b> Two result slots and two streams. A batch is encoded on the compute stream into the
 * slot's device output buffers; the slot's copy of those results to pinned host memory runs on the copy stream
 * once the compute is done (an event orders them), so the next batch's compute (already enqueued by then)
 * overlaps this batch's device-to-host copy, and the host unpacks one slot while the GPU works on the other.
 * Inputs are tiny (4 bytes per token): the library stages them through its own pinned buffer.
 * Buffers (workspace, device outputs, pinned outputs) are kept and reused while batches fit.
 *
 * <p><b>Memory.</b> The workspace is sized for the token budget (exact bytes from {@code esm2j_workspace_bytes});
 * out-of-memory anywhere is {@link DeviceOutOfMemoryException} for the scheduler to shrink and retry; every
 * other CUDA error takes the device out ({@link DeviceFailureException}).
 *
 * <p><b>Outputs.</b> Mean, BOS, per-token (the ABI's rows include BOS and EOS: residue rows 1..n are kept) and
 * logits (every position). Contacts are not in the C ABI: {@code --include contacts} runs on the CPU (see
 * {@code DeviceOptions}).
 *
 * <p>Thread use: one thread submits and awaits (the scheduler's device thread); {@link #memory()} may be called
 * from the monitor thread. Each entry point makes the device current on its thread.
 *
 * <p><b>Files.</b> This class owns the model, the streams and the workspace; {@link CudaWeights} uploads the
 * weights, {@link Slot} holds a slot's buffers, {@link CudaRequest} packs a batch into a request, and
 * {@link OutputLayout} places the outputs in a slot's buffer and unpacks them.
 */
public final class CudaDevice implements EncoderDevice {
    /** Left free for cuBLAS/cuDNN handles, allocator slack and other processes' growth. */
    static final long RESERVE_BYTES = 768L << 20;
    /** Pinned host memory for one slot's results at most (two slots per GPU). */
    static final long MAX_PINNED_BYTES_PER_SLOT = 2L << 30;
    static final long DEFAULT_TOKEN_BUDGET = 16384;
    /**
     * The library's batch limits, from the header's constants through the bindings: the one source every Java
     * ceiling is derived from (and what the simulated device of the tests enforces).
     */
    public static final BatchLimits LIBRARY_LIMITS = new BatchLimits(Esm2jH.ESM2J_MAX_BATCH_TOKENS(), Esm2jH.ESM2J_MAX_BATCH_SEQUENCES());
    private static final int SLOTS = 2;

    private final CudaDeviceInfo info;
    private final ComputeDtype dtype;
    private final EsmConfig config;
    private final int maxBatchSequences;
    private final String id;
    private final Arena arena = Arena.ofShared();
    private final Slot[] slots = new Slot[SLOTS];
    private MemorySegment model = MemorySegment.NULL;
    private MemorySegment computeStream = MemorySegment.NULL;
    private MemorySegment copyStream = MemorySegment.NULL;
    private MemorySegment workspace = MemorySegment.NULL;
    private long workspaceTokens;
    private int workspaceSequences;
    /** Reference-GEMM fallbacks of workspaces already destroyed (each workspace counts its own). */
    private long retiredGemmFallbacks;
    private long budget = DEFAULT_TOKEN_BUDGET;
    private final CudaAttention attention;
    private long weightBytes = -1;
    private long memoryBeforeWeights = -1;
    private long submitted;
    private int pending;
    private boolean closed;

    private CudaDevice(CudaDeviceInfo info, ComputeDtype dtype, EsmConfig config, int maxBatchSequences) {
        this.info = info;
        this.dtype = dtype;
        this.config = config;
        this.maxBatchSequences = LIBRARY_LIMITS.clampSequences(maxBatchSequences);
        this.id = info.id();
        this.attention = new CudaAttention(info.index(), id, dtype, () -> pending, () -> workspace);
    }

    /**
     * Creates the model on the GPU and uploads every weight.
     *
     * @throws DeviceFailureException     when the device cannot run this model (unsupported head size, BF16 before sm80…)
     * @throws DeviceOutOfMemoryException when the weights do not fit
     */
    public static CudaDevice open(CudaDeviceInfo info, EsmWeights weights, ComputeDtype dtype, int maxBatchSequences) {
        CudaDevice d = new CudaDevice(info, dtype, weights.config(), maxBatchSequences);
        try {
            d.createModel(weights);
            Cuda.use(info.index(), d.id);
            d.computeStream = Cuda.pointer(out -> CudaRuntimeH.cudaStreamCreateWithFlags(out, CudaRuntimeH.cudaStreamNonBlocking()),
                    d.id, "creating the compute stream");
            d.copyStream = Cuda.pointer(out -> CudaRuntimeH.cudaStreamCreateWithFlags(out, CudaRuntimeH.cudaStreamNonBlocking()),
                    d.id, "creating the copy stream");
            for (int i = 0; i < SLOTS; i++) {
                Slot s = new Slot();
                d.slots[i] = s;
                s.open(d.id, d.arena);
            }
            return d;
        } catch (RuntimeException e) {
            // The failure that stopped the opening is the one to report; the clean-up's own failure (a lost device
            // fails every call) would otherwise replace it.
            try {
                d.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private void createModel(EsmWeights w) {
        long needed = CudaWeights.weightBytes(config, dtype);
        MemoryReading memory = memoryNow();
        weightBytes = needed;
        memoryBeforeWeights = memory.totalBytes() - memory.freeBytes();
        if (needed + RESERVE_BYTES > memory.freeBytes()) {
            throw new DeviceFailureException(id + " (" + info.name() + "): the weights take " + (needed >> 20) + " MiB in "
                    + dtype.cliName() + " and " + (memory.freeBytes() >> 20) + " MiB of " + (memory.totalBytes() >> 20)
                    + " MiB are free, with nothing left for activations"
                    + (dtype == ComputeDtype.FP32 ? "; --dtype bf16 or fp16 halves them" : ""));
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment cfg = CudaWeights.modelConfig(tmp, config, dtype);
            MemorySegment out = tmp.allocate(ValueLayout.ADDRESS);
            Cuda.esm(Esm2jH.esm2j_model_create(info.index(), cfg, out), id, "creating the model (" + dtype.cliName() + ")");
            model = out.get(ValueLayout.ADDRESS, 0);
        }
        CudaWeights.upload(model, id, config, w);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return info.name() + ", compute capability " + info.computeCapability() + ", " + info.multiprocessors() + " SMs, "
                + (info.totalBytes() >> 20) + " MiB, " + dtype.cliName();
    }

    public ComputeDtype dtype() {
        return dtype;
    }

    @Override
    public String arithmetic() {
        return dtype.cliName();
    }

    public CudaDeviceInfo info() {
        return info;
    }

    @Override
    public long defaultTokenBudget() {
        return DEFAULT_TOKEN_BUDGET;
    }

    @Override
    public String sizingKey() {
        return info.name() + ", " + (info.totalBytes() >> 20) + " MiB, " + dtype.cliName();
    }

    @Override
    public long weightBytes() {
        return weightBytes;
    }

    @Override
    public long memoryBeforeWeightsBytes() {
        return memoryBeforeWeights;
    }

    @Override
    public BatchLimits batchLimits() {
        return LIBRARY_LIMITS;
    }

    @Override
    public CudaAttention attention() {
        return attention;
    }

    /** Sequences a workspace for {@code tokens} tokens must hold: as many as the shortest sequences (3 tokens) allow. */
    private int sequenceCapacity(long tokens) {
        return WorkspaceSizing.sequenceCapacity(tokens, maxBatchSequences);
    }

    @Override
    public long tokenCeiling(int sequenceLength, OutputSpec spec) {
        long most = Math.max(1, Math.min(maxBatchSequences, LIBRARY_LIMITS.clampTokens(BatchLimits.MOST_TOKENS) / sequenceLength));
        return Math.max(1, mostThatFit(sequenceLength, most, spec)) * sequenceLength;
    }

    /** Less a tenth for what the exact workspace size leaves out (allocator slack); attention is linear in the length. */
    @Override
    public long longestSequence(OutputSpec spec) {
        int step = 16; // tokens; the scheduler rounds the answer down to its sizing step anyway
        return mostThatFit(step, LIBRARY_LIMITS.maxTokens() / step, spec) * step * 9 / 10;
    }

    /** {@link WorkspaceSizing#mostThatFit} in the memory free now plus what this device holds, less the reserve. */
    private long mostThatFit(long unit, long most, OutputSpec spec) {
        Cuda.use(info.index(), id);
        WorkspaceSizing sizing = new WorkspaceSizing(model, id, config.hiddenSize(), maxBatchSequences, SLOTS, MAX_PINNED_BYTES_PER_SLOT);
        long held = workspace.equals(MemorySegment.NULL) ? 0 : sizing.bytesOrZero(workspaceTokens, workspaceSequences);
        for (Slot s : slots) {
            held += s.deviceBytes;
        }
        return sizing.mostThatFit(unit, most, spec, memoryNow().freeBytes() + held - RESERVE_BYTES);
    }

    @Override
    public MemoryReading memory() {
        if (closed) {
            return null;
        }
        return memoryNow();
    }

    private MemoryReading memoryNow() {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment free = tmp.allocate(ValueLayout.JAVA_LONG);
            MemorySegment total = tmp.allocate(ValueLayout.JAVA_LONG);
            Cuda.esm(Esm2jH.esm2j_mem_info(info.index(), free, total), id, "reading free memory");
            return new MemoryReading(total.get(ValueLayout.JAVA_LONG, 0), free.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Override
    public void setTokenBudget(long tokens) {
        budget = Math.max(1, tokens);
        if (!workspace.equals(MemorySegment.NULL) && workspaceTokens > budget) {
            releaseWorkspace();
        }
    }

    @Override
    public void releaseWorkspace() {
        if (closed || model.equals(MemorySegment.NULL)) {
            return;
        }
        Cuda.use(info.index(), id);
        synchronizeStreams();
        destroyWorkspace();
        for (Slot s : slots) {
            s.freeDeviceOutputs(id);
        }
    }

    private void synchronizeStreams() {
        if (!computeStream.equals(MemorySegment.NULL)) {
            Cuda.check(CudaRuntimeH.cudaStreamSynchronize(computeStream), id, "synchronizing the compute stream");
        }
        if (!copyStream.equals(MemorySegment.NULL)) {
            Cuda.check(CudaRuntimeH.cudaStreamSynchronize(copyStream), id, "synchronizing the copy stream");
        }
    }

    private void destroyWorkspace() {
        if (!workspace.equals(MemorySegment.NULL)) {
            MemorySegment doomed = workspace;
            retiredGemmFallbacks += gemmFallbacksOf(doomed);
            // The handle is gone whatever the status says (the library frees it even when the final synchronize
            // fails): forget it first, so that a failed destroy is never followed by a second one on a freed handle.
            workspace = MemorySegment.NULL;
            workspaceTokens = 0;
            workspaceSequences = 0;
            Cuda.esm(Esm2jH.esm2j_workspace_destroy(doomed), id, "destroying the workspace");
        }
    }

    private long gemmFallbacksOf(MemorySegment ws) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment count = tmp.allocate(ValueLayout.JAVA_LONG);
            return Esm2jH.esm2j_workspace_gemm_fallbacks(ws, count) == Esm2jH.ESM2J_OK() ? count.get(ValueLayout.JAVA_LONG, 0) : 0;
        }
    }

    @Override
    public long slowGemmFallbacks() {
        return retiredGemmFallbacks + (workspace.equals(MemorySegment.NULL) ? 0 : gemmFallbacksOf(workspace));
    }

    @Override
    public List<SequenceEmbedding> encode(List<TokenizedSequence> batch, OutputSpec spec) {
        return submit(batch, spec).await();
    }

    @Override
    public PendingBatch submit(List<TokenizedSequence> batch, OutputSpec spec) {
        if (spec.has(OutputKind.CONTACTS)) {
            throw new IllegalArgumentException("contacts are not computed on the GPU (the CUDA library has no contact head)");
        }
        if (pending >= SLOTS) {
            throw new IllegalStateException(id + ": " + SLOTS + " batches are pending; await one first");
        }
        Slot slot = slots[(int) (submitted % SLOTS)];
        if (slot.pending) {
            throw new IllegalStateException(id + ": batches must be awaited in the order they were submitted");
        }
        Cuda.use(info.index(), id);
        int sequences = batch.size();
        long tokens = 0;
        for (TokenizedSequence s : batch) {
            tokens += s.length();
        }
        OutputLayout layout = OutputLayout.of(tokens, sequences, spec, config.hiddenSize());
        ensureWorkspace(tokens, sequences);
        long capacityBytes = OutputLayout.of(workspaceTokens, workspaceSequences, spec, config.hiddenSize()).bytes();
        slot.ensureBuffers(id, capacityBytes);
        // The other slot's device buffers too (when it is idle), so that a trial batch of the budget search takes
        // all the device memory a run takes.
        Slot other = slots[(int) ((submitted + 1) % SLOTS)];
        if (!other.pending) {
            other.ensureDeviceBuffer(id, capacityBytes);
        }
        CudaRequest.fill(slot, batch, tokens, spec, layout, config.numLayers(), workspaceTokens, workspaceSequences);

        Cuda.esm(Esm2jH.esm2j_encode(workspace, computeStream, slot.request), id, "encoding " + sequences + " sequences, " + tokens + " tokens");
        Cuda.check(CudaRuntimeH.cudaEventRecord(slot.computeDone, computeStream), id, "recording the compute event");
        Cuda.check(CudaRuntimeH.cudaStreamWaitEvent(copyStream, slot.computeDone, 0), id, "ordering the result copy");
        Cuda.check(CudaRuntimeH.cudaMemcpyAsync(slot.hostOut, slot.deviceOut, layout.bytes(), CudaRuntimeH.cudaMemcpyDeviceToHost(), copyStream),
                id, "copying results to the host");
        Cuda.check(CudaRuntimeH.cudaEventRecord(slot.copyDone, copyStream), id, "recording the copy event");
        slot.pending = true;
        pending++;
        submitted++;
        return () -> complete(slot, batch, spec, layout);
    }

    private void ensureWorkspace(long tokens, int sequences) {
        if (!workspace.equals(MemorySegment.NULL) && tokens <= workspaceTokens && sequences <= workspaceSequences) {
            return;
        }
        // The other slot's batch may still be computing with the old workspace.
        Cuda.check(CudaRuntimeH.cudaStreamSynchronize(computeStream), id, "synchronizing the compute stream");
        destroyWorkspace();
        // The budget may exceed what this batch needs but never the library's limits (the scheduler clamps it too).
        long capacity = Math.max(tokens, LIBRARY_LIMITS.clampTokens(budget));
        int seqCapacity = Math.max(sequences, sequenceCapacity(capacity));
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment out = tmp.allocate(ValueLayout.ADDRESS);
            Cuda.esm(Esm2jH.esm2j_workspace_create(model, capacity, seqCapacity, out), id,
                    "creating a workspace for " + capacity + " tokens, " + seqCapacity + " sequences");
            workspace = out.get(ValueLayout.ADDRESS, 0);
        }
        workspaceTokens = capacity;
        workspaceSequences = seqCapacity;
        attention.applyTo(workspace);
    }

    private List<SequenceEmbedding> complete(Slot s, List<TokenizedSequence> batch, OutputSpec spec, OutputLayout layout) {
        if (!s.pending) {
            throw new IllegalStateException(id + ": this batch was already awaited");
        }
        try {
            Cuda.use(info.index(), id);
            Cuda.check(CudaRuntimeH.cudaEventSynchronize(s.copyDone), id, "waiting for a batch of " + batch.size() + " sequences");
        } finally {
            s.pending = false;
            pending--;
        }
        return OutputLayout.unpack(s.hostOut, batch, spec, layout, config.hiddenSize());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> problems = new ArrayList<>();
        try {
            Cuda.use(info.index(), id);
            synchronizeStreams();
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        quietly(problems, this::destroyWorkspace);
        for (Slot s : slots) {
            if (s == null) {
                continue;
            }
            s.free(id, problems);
        }
        quietly(problems, () -> {
            if (!computeStream.equals(MemorySegment.NULL)) {
                CudaRuntimeH.cudaStreamDestroy(computeStream);
            }
            if (!copyStream.equals(MemorySegment.NULL)) {
                CudaRuntimeH.cudaStreamDestroy(copyStream);
            }
        });
        quietly(problems, () -> {
            if (!model.equals(MemorySegment.NULL)) {
                Esm2jH.esm2j_model_destroy(model);
                model = MemorySegment.NULL;
            }
        });
        arena.close();
        if (!problems.isEmpty()) {
            throw new DeviceFailureException(id + ": closing: " + String.join("; ", problems));
        }
    }

    /** Runs one step of a tear-down; a failure is noted in {@code problems} and the tear-down goes on. */
    static void quietly(List<String> problems, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
    }
}
