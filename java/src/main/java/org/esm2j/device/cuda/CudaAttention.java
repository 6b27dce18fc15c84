package org.esm2j.device.cuda;

import org.esm2j.device.AttentionBackend;
import org.esm2j.device.AttentionSwitch;
import org.esm2j.device.cuda.ffi.Esm2jH;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The attention backend of one {@link CudaDevice}: which libesm2j offers there, the one chosen (set on every workspace
 * the device creates through {@link #applyTo}), and what the last encode used ({@code esm2j_workspace_attention_used}).
 */
final class CudaAttention implements AttentionSwitch {
    private final int device;
    private final String id;
    private final ComputeDtype dtype;
    private final IntSupplier pendingBatches;
    private final Supplier<MemorySegment> workspace;
    private List<AttentionBackend> offered;
    private AttentionBackend chosen = AttentionBackend.FLASH;

    CudaAttention(int device, String id, ComputeDtype dtype, IntSupplier pendingBatches, Supplier<MemorySegment> workspace) {
        this.device = device;
        this.id = id;
        this.dtype = dtype;
        this.pendingBatches = pendingBatches;
        this.workspace = workspace;
    }

    /**
     * Flash and reference always; cuDNN for BF16/FP16 when this libesm2j was built with it and can load it. FP32 has no
     * cuDNN path: cuDNN's fused attention takes 16-bit inputs only (the library would fall back to flash). Asked when
     * first needed: the version string loads cuDNN.
     */
    @Override
    public List<AttentionBackend> offered() {
        if (offered == null) {
            offered = dtype != ComputeDtype.FP32 && cudnnLoadable()
                    ? List.of(AttentionBackend.FLASH, AttentionBackend.CUDNN, AttentionBackend.REFERENCE)
                    : List.of(AttentionBackend.FLASH, AttentionBackend.REFERENCE);
        }
        return offered;
    }

    /** Whether the library reports a cuDNN it can load ({@code "cuDNN none"} or {@code "cuDNN not loadable"} otherwise). */
    static boolean cudnnLoadable() {
        String version = NativeLibrary.string(Esm2jH.esm2j_version_string());
        return version.contains("cuDNN ") && !version.contains("cuDNN none") && !version.contains("cuDNN not loadable");
    }

    @Override
    public void set(AttentionBackend backend) {
        if (!offered().contains(backend)) {
            throw new IllegalArgumentException(id + " cannot run attention with " + backend.cliName() + " in " + dtype.cliName()
                    + "; it offers " + offered().stream().map(AttentionBackend::cliName).toList());
        }
        if (pendingBatches.getAsInt() > 0) {
            throw new IllegalStateException(id + ": the attention backend changes only when no batch is pending");
        }
        chosen = backend;
        MemorySegment ws = workspace.get();
        if (!ws.equals(MemorySegment.NULL)) {
            applyTo(ws);
        }
    }

    @Override
    public AttentionBackend current() {
        return chosen;
    }

    /** Sets the chosen backend on a workspace. */
    void applyTo(MemorySegment ws) {
        Cuda.use(device, id);
        Cuda.esm(Esm2jH.esm2j_workspace_set_option(ws, Esm2jH.ESM2J_OPTION_ATTENTION(), abiValue(chosen)), id,
                "setting the attention backend to " + chosen.cliName());
    }

    static int abiValue(AttentionBackend b) {
        return switch (b) {
            case FLASH -> Esm2jH.ESM2J_ATTENTION_FLASH();
            case CUDNN -> Esm2jH.ESM2J_ATTENTION_CUDNN();
            case REFERENCE -> Esm2jH.ESM2J_ATTENTION_REFERENCE();
            case AUTO -> throw new IllegalArgumentException("auto is a choice, not a backend");
        };
    }

    /** What the last encode on the current workspace used; null without a workspace. */
    @Override
    public Use used() {
        MemorySegment ws = workspace.get();
        if (ws.equals(MemorySegment.NULL)) {
            return null;
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment backend = tmp.allocate(ValueLayout.JAVA_INT);
            MemorySegment note = tmp.allocate(ValueLayout.ADDRESS);
            Cuda.use(device, id);
            Cuda.esm(Esm2jH.esm2j_workspace_attention_used(ws, backend, note), id, "reading the attention backend used");
            int used = backend.get(ValueLayout.JAVA_INT, 0);
            AttentionBackend b = used == Esm2jH.ESM2J_ATTENTION_CUDNN() ? AttentionBackend.CUDNN
                    : used == Esm2jH.ESM2J_ATTENTION_REFERENCE() ? AttentionBackend.REFERENCE : AttentionBackend.FLASH;
            return new Use(b, NativeLibrary.string(note.get(ValueLayout.ADDRESS, 0)));
        }
    }
}
