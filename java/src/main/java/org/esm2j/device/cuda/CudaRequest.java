package org.esm2j.device.cuda;

import org.esm2j.device.OutputSpec;
import org.esm2j.device.cuda.ffi.Esm2jH;
import org.esm2j.device.cuda.ffi.esm2j_encode_request;
import org.esm2j.tokens.TokenizedSequence;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Packs one batch into a slot's {@code esm2j_encode_request}: the sequences' tokens back to back with their
 * {@code cu_seqlens}, the layers asked for, and where on the device each output goes ({@link OutputLayout}).
 * Input buffers are sized for the workspace ({@code minTokens}, {@code minSequences}) so that they are reused.
 */
final class CudaRequest {
    private CudaRequest() {
    }

    static void fill(Slot s, List<TokenizedSequence> batch, long tokens, OutputSpec spec, OutputLayout layout, int numLayers,
                     long minTokens, int minSequences) {
        int n = batch.size();
        if (s.inputArena == null || tokens > s.inputTokens || n > s.inputSequences) {
            if (s.inputArena != null) {
                s.inputArena.close();
            }
            s.inputArena = Arena.ofShared();
            s.inputTokens = Math.max(tokens, minTokens);
            s.inputSequences = Math.max(n, minSequences);
            s.tokens = s.inputArena.allocate(ValueLayout.JAVA_INT, s.inputTokens);
            s.cuSeqlens = s.inputArena.allocate(ValueLayout.JAVA_INT, s.inputSequences + 1L);
            s.layers = s.inputArena.allocate(ValueLayout.JAVA_INT, numLayers + 1L);
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
}
