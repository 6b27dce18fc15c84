package org.esm2j.cuda;

import org.esm2j.cuda.ffi.CudaRuntimeH;
import org.esm2j.cuda.ffi.Esm2jH;
import org.esm2j.cuda.ffi.esm2j_encode_request;
import org.esm2j.cuda.ffi.esm2j_model_config;
import org.esm2j.model.Alphabet;
import org.esm2j.model.EsmConfig;
import org.esm2j.model.EsmWeights;
import org.esm2j.model.LayerWeights;
import org.esm2j.model.OutputKind;
import org.esm2j.model.OutputSpec;
import org.esm2j.model.SequenceEmbedding;
import org.esm2j.model.TensorInfo;
import org.esm2j.model.TokenizedSequence;
import org.esm2j.run.BatchLimits;
import org.esm2j.run.BatchSizer;
import org.esm2j.run.DeviceFailureException;
import org.esm2j.run.DeviceOutOfMemoryException;
import org.esm2j.run.EncoderDevice;
import org.esm2j.run.MemoryReading;
import org.esm2j.run.PendingBatch;

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
    private long submitted;
    private int pending;
    private boolean closed;

    /** One set of result buffers and the batch that uses them. */
    private static final class Slot {
        MemorySegment computeDone = MemorySegment.NULL;
        MemorySegment copyDone = MemorySegment.NULL;
        MemorySegment deviceOut = MemorySegment.NULL;
        long deviceBytes;
        MemorySegment hostOut = MemorySegment.NULL;
        long hostBytes;
        Arena inputArena;
        MemorySegment tokens;
        MemorySegment cuSeqlens;
        long inputTokens;
        int inputSequences;
        MemorySegment request;
        MemorySegment layers;
        boolean pending;
    }

    /** Where each output sits in a slot's buffer for one batch: float offsets, compact for the batch's size. */
    record OutputLayout(long mean, long bos, long perToken, long logits, long floats) {
        static OutputLayout of(long tokens, long sequences, OutputSpec spec, int hidden) {
            long layers = spec.layerCount();
            long at = 0;
            long mean = -1;
            long bos = -1;
            long perToken = -1;
            long logits = -1;
            if (spec.has(OutputKind.MEAN)) {
                mean = at;
                at += layers * sequences * hidden;
            }
            if (spec.has(OutputKind.BOS)) {
                bos = at;
                at += layers * sequences * hidden;
            }
            if (spec.has(OutputKind.PER_TOK)) {
                perToken = at;
                at += layers * tokens * hidden;
            }
            if (spec.has(OutputKind.LOGITS)) {
                logits = at;
                at += tokens * Alphabet.SIZE;
            }
            return new OutputLayout(mean, bos, perToken, logits, at);
        }

        long bytes() {
            return floats * Float.BYTES;
        }
    }

    private CudaDevice(CudaDeviceInfo info, ComputeDtype dtype, EsmConfig config, int maxBatchSequences) {
        this.info = info;
        this.dtype = dtype;
        this.config = config;
        this.maxBatchSequences = LIBRARY_LIMITS.clampSequences(maxBatchSequences);
        this.id = info.id();
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
                s.computeDone = d.event();
                s.copyDone = d.event();
                s.request = esm2j_encode_request.allocate(d.arena);
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

    /**
     * Blocking-sync events: the device thread sleeps in cudaEventSynchronize instead of spinning a core for the
     * whole batch (tens of ms); the CPU is needed meanwhile for reading, tokenizing and writing, and a cluster job
     * often has only a few cores per GPU. The wake-up latency is microseconds.
     */
    private MemorySegment event() {
        return Cuda.pointer(out -> CudaRuntimeH.cudaEventCreateWithFlags(out,
                CudaRuntimeH.cudaEventDisableTiming() | CudaRuntimeH.cudaEventBlockingSync()), id, "creating an event");
    }

    /** The C ABI's model configuration for {@code config} in {@code dtype}. */
    static MemorySegment modelConfig(Arena arena, EsmConfig config, ComputeDtype dtype) {
        MemorySegment cfg = esm2j_model_config.allocate(arena);
        esm2j_model_config.num_layers(cfg, config.numLayers());
        esm2j_model_config.hidden_size(cfg, config.hiddenSize());
        esm2j_model_config.num_heads(cfg, config.numHeads());
        esm2j_model_config.intermediate_size(cfg, config.intermediateSize());
        esm2j_model_config.vocab_size(cfg, config.vocabSize());
        esm2j_model_config.layer_norm_eps(cfg, (float) config.layerNormEps());
        esm2j_model_config.token_dropout(cfg, config.tokenDropout() ? 1 : 0);
        esm2j_model_config.mask_token_id(cfg, config.maskTokenId());
        esm2j_model_config.compute_dtype(cfg, dtype.abiCode());
        return cfg;
    }

    /** Device bytes the weights of {@code config} take in {@code dtype} (no GPU needed). */
    static long weightBytes(EsmConfig config, ComputeDtype dtype) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment bytes = tmp.allocate(ValueLayout.JAVA_LONG);
            Cuda.esm(Esm2jH.esm2j_model_bytes(modelConfig(tmp, config, dtype), bytes), "cuda", "sizing the weights (" + dtype.cliName() + ")");
            return bytes.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    private void createModel(EsmWeights w) {
        long needed = weightBytes(config, dtype);
        MemoryReading memory = memoryNow();
        if (needed + RESERVE_BYTES > memory.freeBytes()) {
            throw new DeviceFailureException(id + " (" + info.name() + "): the weights take " + (needed >> 20) + " MiB in "
                    + dtype.cliName() + " and " + (memory.freeBytes() >> 20) + " MiB of " + (memory.totalBytes() >> 20)
                    + " MiB are free, with nothing left for activations"
                    + (dtype == ComputeDtype.FP32 ? "; --dtype bf16 or fp16 halves them" : ""));
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment cfg = modelConfig(tmp, config, dtype);
            MemorySegment out = tmp.allocate(ValueLayout.ADDRESS);
            Cuda.esm(Esm2jH.esm2j_model_create(info.index(), cfg, out), id, "creating the model (" + dtype.cliName() + ")");
            model = out.get(ValueLayout.ADDRESS, 0);
        }
        upload(Esm2jH.ESM2J_T_EMBED(), -1, w.embedTokens());
        for (int l = 0; l < config.numLayers(); l++) {
            LayerWeights lw = w.layers().get(l);
            upload(Esm2jH.ESM2J_T_ATTN_LN_W(), l, lw.attnNormWeight());
            upload(Esm2jH.ESM2J_T_ATTN_LN_B(), l, lw.attnNormBias());
            upload(Esm2jH.ESM2J_T_Q_W(), l, lw.queryWeight());
            upload(Esm2jH.ESM2J_T_Q_B(), l, lw.queryBias());
            upload(Esm2jH.ESM2J_T_K_W(), l, lw.keyWeight());
            upload(Esm2jH.ESM2J_T_K_B(), l, lw.keyBias());
            upload(Esm2jH.ESM2J_T_V_W(), l, lw.valueWeight());
            upload(Esm2jH.ESM2J_T_V_B(), l, lw.valueBias());
            uploadFloats(Esm2jH.ESM2J_T_ROTARY_INV_FREQ(), l, lw.rotaryInvFreq(), "rotary inv_freq of layer " + l);
            upload(Esm2jH.ESM2J_T_O_W(), l, lw.outWeight());
            upload(Esm2jH.ESM2J_T_O_B(), l, lw.outBias());
            upload(Esm2jH.ESM2J_T_FFN_LN_W(), l, lw.ffnNormWeight());
            upload(Esm2jH.ESM2J_T_FFN_LN_B(), l, lw.ffnNormBias());
            upload(Esm2jH.ESM2J_T_FC1_W(), l, lw.fc1Weight());
            upload(Esm2jH.ESM2J_T_FC1_B(), l, lw.fc1Bias());
            upload(Esm2jH.ESM2J_T_FC2_W(), l, lw.fc2Weight());
            upload(Esm2jH.ESM2J_T_FC2_B(), l, lw.fc2Bias());
        }
        upload(Esm2jH.ESM2J_T_FINAL_LN_W(), -1, w.finalNormWeight());
        upload(Esm2jH.ESM2J_T_FINAL_LN_B(), -1, w.finalNormBias());
        int e = config.hiddenSize();
        if (w.hasLmHead()) {
            upload(Esm2jH.ESM2J_T_LM_DENSE_W(), -1, w.lmHead().denseWeight());
            upload(Esm2jH.ESM2J_T_LM_DENSE_B(), -1, w.lmHead().denseBias());
            upload(Esm2jH.ESM2J_T_LM_LN_W(), -1, w.lmHead().normWeight());
            upload(Esm2jH.ESM2J_T_LM_LN_B(), -1, w.lmHead().normBias());
            upload(Esm2jH.ESM2J_T_LM_BIAS(), -1, w.lmHead().outputBias());
        } else {
            // The ABI requires every tensor before finalize; a checkpoint without an LM head never gets logits asked (the command refuses).
            uploadFloats(Esm2jH.ESM2J_T_LM_DENSE_W(), -1, new float[e * e], "absent LM head (zeros)");
            uploadFloats(Esm2jH.ESM2J_T_LM_DENSE_B(), -1, new float[e], "absent LM head (zeros)");
            uploadFloats(Esm2jH.ESM2J_T_LM_LN_W(), -1, new float[e], "absent LM head (zeros)");
            uploadFloats(Esm2jH.ESM2J_T_LM_LN_B(), -1, new float[e], "absent LM head (zeros)");
            uploadFloats(Esm2jH.ESM2J_T_LM_BIAS(), -1, new float[config.vocabSize()], "absent LM head (zeros)");
        }
        Cuda.esm(Esm2jH.esm2j_model_finalize(model), id, "finalizing the model");
    }

    private void upload(int tensor, int layer, TensorInfo t) {
        int src = switch (t.dtype()) {
            case F32 -> Esm2jH.ESM2J_DTYPE_F32();
            case F16 -> Esm2jH.ESM2J_DTYPE_F16();
            case BF16 -> Esm2jH.ESM2J_DTYPE_BF16();
            default -> throw new IllegalStateException(t.file() + ": tensor " + t.name() + " has dtype " + t.dtype());
        };
        Cuda.esm(Esm2jH.esm2j_model_set_tensor(model, tensor, layer, src, t.data(), t.numel()), id,
                "uploading tensor " + t.name() + " " + t.shapeString() + " " + t.dtype() + " from " + t.file());
    }

    private void uploadFloats(int tensor, int layer, float[] values, String what) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment seg = tmp.allocateFrom(ValueLayout.JAVA_FLOAT, values);
            Cuda.esm(Esm2jH.esm2j_model_set_tensor(model, tensor, layer, Esm2jH.ESM2J_DTYPE_F32(), seg, values.length), id,
                    "uploading " + what);
        }
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
    public BatchLimits batchLimits() {
        return LIBRARY_LIMITS;
    }

    /** Sequences a workspace for {@code tokens} tokens must hold: as many as the shortest sequences (3 tokens) allow. */
    private int sequenceCapacity(long tokens) {
        return (int) Math.max(1, Math.min(maxBatchSequences, tokens / 3));
    }

    @Override
    public long tokenCeiling(int sequenceLength, OutputSpec spec) {
        Cuda.use(info.index(), id);
        long available = memoryNow().freeBytes() + heldDeviceBytes() - RESERVE_BYTES;
        long most = Math.max(1, Math.min(maxBatchSequences, LIBRARY_LIMITS.clampTokens(BatchSizer.MAX_TOKENS) / sequenceLength));
        long lo = 0;
        long hi = most + 1;
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment bytes = tmp.allocate(ValueLayout.JAVA_LONG);
            while (hi - lo > 1) {
                long n = (lo + hi) >>> 1;
                long tokens = n * sequenceLength;
                int sequences = sequenceCapacity(tokens);
                Cuda.esm(Esm2jH.esm2j_workspace_bytes(model, tokens, sequences, bytes), id,
                        "esm2j_workspace_bytes (sizing a workspace for " + tokens + " tokens, " + sequences + " sequences)");
                long outputs = OutputLayout.of(tokens, sequences, spec, config.hiddenSize()).bytes();
                boolean fits = bytes.get(ValueLayout.JAVA_LONG, 0) + SLOTS * outputs <= available && outputs <= MAX_PINNED_BYTES_PER_SLOT;
                if (fits) {
                    lo = n;
                } else {
                    hi = n;
                }
            }
        }
        return Math.max(1, lo) * sequenceLength;
    }

    private long heldDeviceBytes() {
        if (workspace.equals(MemorySegment.NULL)) {
            return 0;
        }
        long held = 0;
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment bytes = tmp.allocate(ValueLayout.JAVA_LONG);
            if (Esm2jH.esm2j_workspace_bytes(model, workspaceTokens, workspaceSequences, bytes) == Esm2jH.ESM2J_OK()) {
                held += bytes.get(ValueLayout.JAVA_LONG, 0);
            }
        }
        for (Slot s : slots) {
            held += s.deviceBytes;
        }
        return held;
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
            freeDeviceOutputs(s);
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

    private void freeDeviceOutputs(Slot s) {
        if (!s.deviceOut.equals(MemorySegment.NULL)) {
            Cuda.check(CudaRuntimeH.cudaFree(s.deviceOut), id, "freeing result buffers");
            s.deviceOut = MemorySegment.NULL;
            s.deviceBytes = 0;
        }
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
        ensureBuffers(slot, capacityBytes);
        // The other slot's device buffers too (when it is idle), so that a trial batch of the budget search takes
        // all the device memory a run takes.
        Slot other = slots[(int) ((submitted + 1) % SLOTS)];
        if (!other.pending) {
            ensureDeviceBuffer(other, capacityBytes);
        }
        fillRequest(slot, batch, tokens, spec, layout);

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
    }

    /** Device and pinned result buffers of at least {@code bytes}; the slot has no batch pending. */
    private void ensureBuffers(Slot s, long bytes) {
        ensureDeviceBuffer(s, bytes);
        if (s.hostBytes < bytes) {
            if (!s.hostOut.equals(MemorySegment.NULL)) {
                Cuda.check(CudaRuntimeH.cudaFreeHost(s.hostOut), id, "freeing pinned memory");
                s.hostOut = MemorySegment.NULL;
                s.hostBytes = 0;
            }
            MemorySegment p = Cuda.pointer(out -> CudaRuntimeH.cudaHostAlloc(out, bytes, CudaRuntimeH.cudaHostAllocPortable()), id,
                    "allocating " + bytes + " bytes of pinned host memory");
            s.hostOut = p.reinterpret(bytes);
            s.hostBytes = bytes;
        }
    }

    private void ensureDeviceBuffer(Slot s, long bytes) {
        if (s.deviceBytes < bytes) {
            freeDeviceOutputs(s);
            s.deviceOut = Cuda.pointer(out -> CudaRuntimeH.cudaMalloc(out, bytes), id, "allocating " + bytes + " bytes for results")
                    .reinterpret(bytes);
            s.deviceBytes = bytes;
        }
    }

    private void fillRequest(Slot s, List<TokenizedSequence> batch, long tokens, OutputSpec spec, OutputLayout layout) {
        int n = batch.size();
        if (s.inputArena == null || tokens > s.inputTokens || n > s.inputSequences) {
            if (s.inputArena != null) {
                s.inputArena.close();
            }
            s.inputArena = Arena.ofShared();
            s.inputTokens = Math.max(tokens, workspaceTokens);
            s.inputSequences = Math.max(n, workspaceSequences);
            s.tokens = s.inputArena.allocate(ValueLayout.JAVA_INT, s.inputTokens);
            s.cuSeqlens = s.inputArena.allocate(ValueLayout.JAVA_INT, s.inputSequences + 1L);
            s.layers = s.inputArena.allocate(ValueLayout.JAVA_INT, config.numLayers() + 1L);
        }
        int at = 0;
        s.cuSeqlens.setAtIndex(ValueLayout.JAVA_INT, 0, 0);
        for (int i = 0; i < n; i++) {
            int[] t = batch.get(i).tokens();
            MemorySegment.copy(t, 0, s.tokens, ValueLayout.JAVA_INT, (long) at * Integer.BYTES, t.length);
            at += t.length;
            s.cuSeqlens.setAtIndex(ValueLayout.JAVA_INT, i + 1, at);
        }
        int[] layers = spec.layers();
        for (int i = 0; i < layers.length; i++) {
            s.layers.setAtIndex(ValueLayout.JAVA_INT, i, layers[i]);
        }
        int flags = 0;
        MemorySegment r = s.request;
        r.fill((byte) 0);
        esm2j_encode_request.tokens(r, s.tokens);
        esm2j_encode_request.n_tokens(r, Math.toIntExact(tokens));
        esm2j_encode_request.cu_seqlens(r, s.cuSeqlens);
        esm2j_encode_request.n_seqs(r, n);
        esm2j_encode_request.repr_layers(r, layers.length == 0 ? MemorySegment.NULL : s.layers);
        esm2j_encode_request.n_repr_layers(r, layers.length);
        if (layout.mean() >= 0) {
            flags |= Esm2jH.ESM2J_OUT_MEAN();
            esm2j_encode_request.mean(r, s.deviceOut.asSlice(layout.mean() * Float.BYTES));
        }
        if (layout.bos() >= 0) {
            flags |= Esm2jH.ESM2J_OUT_BOS();
            esm2j_encode_request.bos(r, s.deviceOut.asSlice(layout.bos() * Float.BYTES));
        }
        if (layout.perToken() >= 0) {
            flags |= Esm2jH.ESM2J_OUT_PER_TOKEN();
            esm2j_encode_request.per_token(r, s.deviceOut.asSlice(layout.perToken() * Float.BYTES));
        }
        if (layout.logits() >= 0) {
            flags |= Esm2jH.ESM2J_OUT_LOGITS();
            esm2j_encode_request.logits(r, s.deviceOut.asSlice(layout.logits() * Float.BYTES));
        }
        esm2j_encode_request.outputs(r, flags);
        esm2j_encode_request.outputs_on_device(r, 1);
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
        return unpack(s.hostOut, batch, spec, layout, config.hiddenSize());
    }

    /**
     * Slices each sequence's results out of a slot's host buffer, laid out as esm2j_encode_request writes them:
     * mean and bos {@code [layer][sequence][E]}, per-token {@code [layer][token][E]} over every packed position,
     * logits {@code [token][V]}.
     */
    static List<SequenceEmbedding> unpack(MemorySegment host, List<TokenizedSequence> batch, OutputSpec spec, OutputLayout layout, int e) {
        int n = batch.size();
        int layers = spec.layerCount();
        long tokens = 0;
        for (TokenizedSequence t : batch) {
            tokens += t.length();
        }
        List<SequenceEmbedding> out = new ArrayList<>(n);
        long start = 0;
        for (int i = 0; i < n; i++) {
            TokenizedSequence t = batch.get(i);
            int residues = t.residues();
            float[][] mean = layout.mean() >= 0 ? new float[layers][] : null;
            float[][] bos = layout.bos() >= 0 ? new float[layers][] : null;
            float[][] perToken = layout.perToken() >= 0 ? new float[layers][] : null;
            for (int j = 0; j < layers; j++) {
                if (mean != null) {
                    mean[j] = floats(host, layout.mean() + ((long) j * n + i) * e, e);
                }
                if (bos != null) {
                    bos[j] = floats(host, layout.bos() + ((long) j * n + i) * e, e);
                }
                if (perToken != null) {
                    // Rows of the ABI are every position: residue rows are start+1 .. start+residues.
                    perToken[j] = floats(host, layout.perToken() + ((long) j * tokens + start + 1) * e, residues * e);
                }
            }
            float[] logits = layout.logits() >= 0 ? floats(host, layout.logits() + start * Alphabet.SIZE, t.length() * Alphabet.SIZE) : null;
            out.add(new SequenceEmbedding(t.index(), t.id(), residues, mean, bos, perToken, logits, null));
            start += t.length();
        }
        return out;
    }

    private static float[] floats(MemorySegment host, long offsetFloats, int count) {
        float[] a = new float[count];
        MemorySegment.copy(host, ValueLayout.JAVA_FLOAT, offsetFloats * Float.BYTES, a, 0, count);
        return a;
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
            quietly(problems, () -> freeDeviceOutputs(s));
            quietly(problems, () -> {
                if (!s.hostOut.equals(MemorySegment.NULL)) {
                    CudaRuntimeH.cudaFreeHost(s.hostOut);
                    s.hostOut = MemorySegment.NULL;
                }
            });
            quietly(problems, () -> {
                CudaRuntimeH.cudaEventDestroy(s.computeDone);
                CudaRuntimeH.cudaEventDestroy(s.copyDone);
            });
            if (s.inputArena != null) {
                s.inputArena.close();
            }
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

    private static void quietly(List<String> problems, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
    }
}
